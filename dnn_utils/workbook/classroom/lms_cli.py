"""``python -m dnn_utils.workbook import|export``: submissions in from an LMS, grades out.

See :mod:`dnn_utils.workbook.classroom.intake` and :mod:`dnn_utils.workbook.classroom.lms_export`.
"""

from __future__ import annotations

from pathlib import Path

from ..authoring.release import default_source_dir
from .intake import ImportOptions, format_report, import_submissions
from .intake_layouts import LAYOUTS
from .lms_export import FORMATS, export_grades


def add_lms_parsers(commands) -> None:
    """Add the ``import`` and ``export`` subcommands."""
    imp = commands.add_parser(
        "import", help="turn an LMS download into the class folder CLASS_DIR/<learner>/"
        "<notebook>.ipynb", description="Turn submissions downloaded from Canvas, Moodle, "
        "nbgrader or GitHub Classroom into the class folder that grade reads, reporting what "
        "was taken and what was ignored and why. Writes CLASS_DIR/learners.csv, who each "
        "learner is in the LMS, for export.")
    imp.add_argument("layout", metavar="LAYOUT", choices=(*LAYOUTS, "auto"),
                     help=f"where the submissions come from: {', '.join(LAYOUTS)}, or auto")
    imp.add_argument("sources", metavar="SOURCE", type=Path, nargs="+",
                     help="the zip file or folder downloaded (several: one per assignment)")
    imp.add_argument("class_dir", metavar="CLASS_DIR", type=Path,
                     help="the class folder to create")
    imp.add_argument("--force", action="store_true",
                     help="replace CLASS_DIR if it already holds files")
    imp.add_argument("--assignment", default=None, metavar="NAME",
                     help="nbgrader: take only this assignment's submissions")
    imp.add_argument("--prefix", default=None, metavar="TEXT",
                     help="github: the part of each repository's name before the learner's "
                     "(GitHub Classroom: '<assignment>-')")
    imp.add_argument("--solutions", type=Path, default=None, metavar="DIR",
                     help=f"folder of the solution notebooks (default: {default_source_dir()})")

    exp = commands.add_parser(
        "export", help="write the gradebook as the CSV file Canvas or Moodle imports",
        description="Write the gradebook grade wrote as Canvas's gradebook import, a Moodle "
        "assignment's grading worksheet, or Moodle's gradebook import.")
    exp.add_argument("format", metavar="FORMAT", choices=FORMATS,
                     help=f"the LMS file to write: {', '.join(FORMATS)}")
    exp.add_argument("gradebook", metavar="GRADEBOOK", type=Path,
                     help="the gradebook.csv grade wrote")
    exp.add_argument("output", metavar="OUTPUT", type=Path, help="the CSV file to write")
    exp.add_argument("--learners", type=Path, required=True, metavar="FILE",
                     help="who each learner is in the LMS: CLASS_DIR/learners.csv from import, "
                     "or a CSV with a 'learner' column and the id column")
    exp.add_argument("--roster", type=Path, default=None, metavar="FILE",
                     help="canvas: a gradebook exported from Canvas, to copy each student's "
                     "Student, SIS User ID, SIS Login ID and Section from")
    exp.add_argument("--notebook", action="append", default=None, metavar="N",
                     help="export only this notebook (02 or its name; repeatable; default: "
                     "all in the gradebook)")
    exp.add_argument("--title", action="append", default=None, metavar="NOTEBOOK=TITLE",
                     help="the LMS's name of a notebook's column, e.g. '02=Notebook 2 (4521)'")
    exp.add_argument("--id-column", default=None, metavar="NAME",
                     help="moodle-gradebook: the --learners column Moodle identifies users by "
                     "(e.g. email)")


def run_import(args) -> int:
    options = ImportOptions(assignment=args.assignment, prefix=args.prefix,
                            solutions=args.solutions, force=args.force)
    report = import_submissions(args.layout, args.sources, args.class_dir, options)
    print(format_report(report, args.class_dir))
    return 0


def run_export(args) -> int:
    result = export_grades(args.format, args.gradebook, args.output, args.learners,
                           roster=args.roster, notebooks=args.notebook, titles=args.title,
                           id_column=args.id_column)
    for line in result["skipped"]:
        print(f"no grade: {line}")
    print(f"wrote {args.output}: {result['rows']} learner(s)"
          + (f"; {len(result['skipped'])} submission(s) without a grade left empty (listed "
             "above), the LMS keeps what it has for them" if result["skipped"] else ""))
    return 0


def run_lms(args) -> int | None:
    """Run ``import`` or ``export``; None for any other command."""
    if args.command == "import":
        return run_import(args)
    if args.command == "export":
        return run_export(args)
    return None

