#!/usr/bin/env bash
# Start a single-node Slurm cluster on this machine (slurmctld and slurmd on localhost), for
# tests/test_slurm.py. Needs root and Debian's slurm-wlm and munge packages; writes
# /etc/slurm/slurm.conf unless one exists. Safe to run twice: a cluster that answers is
# left as it is.
set -euo pipefail

if sinfo -h -o %T >/dev/null 2>&1 && sinfo -h -o %T | grep -q idle; then
  echo "start_slurm: a cluster already answers"; exit 0
fi
for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    echo "start_slurm: $tool is missing: apt-get install slurm-wlm munge" >&2; exit 1; }
done

# munged: its socket folder, and log, state and key folders owned by the munge user.
mkdir -p /run/munge /var/log/munge /var/lib/munge /etc/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null || [ -x /usr/sbin/mungekey ]; then
    /usr/sbin/mungekey --create --force 2>/dev/null || mungekey -c -f
  else
    /usr/sbin/create-munge-key -f
  fi
  chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
fi
if ! pgrep -u munge -x munged >/dev/null; then
  runuser -u munge -- /usr/sbin/munged
fi

host=$(hostname)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
if [ ! -f /etc/slurm/slurm.conf ]; then
  cat > /etc/slurm/slurm.conf <<CONF
# Written by .ci/start_slurm.sh: one node, this machine.
ClusterName=ci
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
fi

pgrep -x slurmctld >/dev/null || /usr/sbin/slurmctld
pgrep -x slurmd >/dev/null || /usr/sbin/slurmd

for _ in $(seq 60); do
  if sinfo -h -o %T 2>/dev/null | grep -q idle; then
    echo "start_slurm: node $host idle"; sinfo; exit 0
  fi
  sleep 1
done
echo "start_slurm: the node did not become idle in 60 s; see /var/log/slurm/" >&2
sinfo >&2 || true
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
