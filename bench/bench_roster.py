"""Roster import and export at the scale of a big enterprise union: 100,000 members.

Figures (``bench <name> <value> <unit>``):

- ``import_100k_seconds``: wall time of ``import_create`` + ``import_apply``
  (mode "valid_only") for a 100,000-row, 15-column .xlsx: store the upload, read, validate,
  match against the records, write people and memberships, in one transaction.
- ``import_100k_peak_mb``: peak resident memory of the process that ran that import, Django
  and all; the import runs in a fresh child process so nothing else counts (see _maxrss_mb).
- ``import_vs_django_import_export``: how many times faster our import is than a typical
  django-import-export ``ModelResource`` doing the same per-row work. d-i-e runs on a
  10,000-row file (same generator) and its time is extrapolated linearly to 100,000 rows
  (x10): a 100k run would take about 4 minutes, and its work is per row (a savepoint, a
  look-up, two INSERTs), so it grows linearly.
- ``django_import_export_10k_seconds``: that measured 10,000-row d-i-e time.
- ``export_100k_seconds``: ``roster_xlsx`` of the 100,000 imported memberships (full ID
  numbers, as the superuser may reveal them), bytes written to a file.

Generating the files is not measured. ``BENCH_PROFILE=/path/prefix`` additionally runs the import
children under cProfile (slower: use for finding hot spots, not for the figures) and writes
``<prefix>-import.pstats`` / ``<prefix>-die.pstats``.

Run directly as ``bench_roster.py import|die FILE UNION_CODE``, it is the measured child
process: it imports FILE into the union and prints one JSON object as its last line.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import BENCH_DB, emit, fresh_database, note, setup_django

ROWS = 100_000
DIE_ROWS = 10_000
SEED = 2015
DIE_SEED = 2016
# Beijing districts: never the demo's 3301xx numbers, and different ones for the two files,
# so the 100k and the 10k people never share an ID number in the one database.
REGIONS_100K = tuple(f"1101{i:02d}" for i in range(1, 9))  # 110101..110108
REGIONS_10K = tuple(f"1101{i:02d}" for i in range(11, 19))  # 110111..110118
UNION_CODE = "JA-E0004"

# --- the roster file -------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫宇浩凯健俊帆帅旭宁龙林欣佳婷雪琳晨曦子轩梓涵一诺浩然欣怡诗雨思远博文雅静建国建华志强志明海燕春梅丽娟"  # noqa: E501
ETHNICITIES = ("汉族",) * 46 + ("回族", "满族", "壮族", "土家族")
POLITICAL = ("群众",) * 6 + ("中共党员", "中共党员", "共青团员", "共青团员")
EDUCATION = ("初中", "高中", "中专", "中专", "大专", "大专", "本科", "本科", "本科", "硕士研究生")
JOBS = ("操作工", "操作工", "职员", "技术员", "班组长", "车间主任", "质检员", "仓管员", "司机")
WORKPLACES = ("江岸宏达机械有限公司", "江岸新城物流有限公司", "江岸恒信电子有限公司")
LOCAL_HUKOU = ("浙江省杭州市",)
MIGRANT_HUKOU = ("安徽省阜阳市", "江西省上饶市", "河南省信阳市")
GRADES = ("", "", "", "初级工", "中级工", "中级工", "高级工", "技师", "高级技师")
_MOBILE_13X = ("135", "136", "137", "138", "139")
MOBILE_PREFIXES = (*_MOBILE_13X, "150", "151", "152", "158", "159", "186", "187", "188", "189")
HEADER_TITLE = "江岸宏达机械有限公司工会会员花名册"
SHEET_TITLE = "会员花名册"


def _check_digit(body17: str) -> str:
    from stdnum.cn.ric import calc_check_digit

    return calc_check_digit(body17 + "0")  # stdnum expects the number with a check position


def roster_rows(n: int, *, seed: int, regions: tuple[str, ...]) -> Any:
    """``n`` data rows (lists in ``roster.COLUMNS`` order) of valid, distinct people."""
    rng = random.Random(seed)
    born_from = dt.date(1965, 1, 1).toordinal()
    born_to = dt.date(1997, 12, 31).toordinal()
    join_from = dt.date(2010, 1, 1).toordinal()
    join_to = dt.date(2015, 12, 31).toordinal()
    seen: set[str] = set()
    for i in range(n):
        while True:
            born = dt.date.fromordinal(rng.randint(born_from, born_to))
            body = f"{regions[i % len(regions)]}{born:%Y%m%d}{rng.randint(0, 999):03d}"
            if body not in seen:
                seen.add(body)
                break
        ric = body + _check_digit(body)
        male = int(body[16]) % 2 == 1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        migrant = rng.random() < 0.3
        yield [
            name,
            "男" if male else "女",
            ric,
            born,
            rng.choice(ETHNICITIES),
            rng.choice(POLITICAL),
            rng.choice(EDUCATION),
            rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
            rng.choice(WORKPLACES),
            rng.choice(JOBS),
            dt.date.fromordinal(rng.randint(join_from, join_to)),
            rng.choice(MIGRANT_HUKOU if migrant else LOCAL_HUKOU),
            "是" if migrant else "否",
            rng.choice(GRADES) or None,
            "劳务派遣" if rng.random() < 0.05 else None,
        ]


def write_roster(path: Path, n: int, *, seed: int, regions: tuple[str, ...]) -> None:
    """A roster as union offices send it: a title, a "填报单位" line, the header, the rows, a
    totals row. ID numbers and mobiles are text cells, dates real date cells."""
    from openpyxl import Workbook

    from gonghui.membership.roster import COLUMNS

    assert len(COLUMNS) == 15
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    ws.append([HEADER_TITLE])
    ws.append(
        ["填报单位：江岸宏达机械有限公司工会（盖章）", *[None] * 11, "填报日期：2015年12月31日"]
    )
    ws.append([c.header for c in COLUMNS])
    for row in roster_rows(n, seed=seed, regions=regions):
        ws.append(row)
    ws.append(["合计", f"{n} 人"])
    wb.save(path)


# --- the measured children -------------------------------------------------------------------


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def _maxrss_mb() -> float:
    """This process's peak resident memory, in MB.

    On Linux ``ru_maxrss`` is not enough: execve() carries the forking parent's high-water
    mark over into the child's (the benchmark parent, having built the demo and written the
    files, is ~190 MB), so a child would report at least that. ``VmHWM`` is the high-water
    mark of this process's own address space. Elsewhere, ``ru_maxrss`` (bytes on macOS).
    """
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _profiled(label: str, fn: Any) -> Any:
    prefix = os.environ.get("BENCH_PROFILE")
    if not prefix:
        return fn()
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    out = f"{prefix}-{label}.pstats"
    profiler.dump_stats(out)
    stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
    stats.print_stats(40)
    print(f"# profile written to {out}", file=sys.stderr)
    return result


def child_import(path: str, union_code: str) -> dict[str, Any]:
    """Our import, timed, in this (fresh) process."""
    setup_django()
    from django.contrib.auth import get_user_model

    from gonghui.core.importing.engine import import_apply, import_create
    from gonghui.core.models import ImportMode
    from gonghui.membership.models import Person
    from gonghui.organisation.models import Union

    union = Union.objects.get(code=union_code)
    actor = get_user_model().objects.get(username="sysadmin")
    baseline = _maxrss_mb()
    # (stage, seconds since the start, resident MB then): where the time and memory go.
    stages: list[tuple[str, float, float | None]] = []
    started = time.perf_counter()

    def mark(stage: str) -> None:
        stages.append((stage, time.perf_counter() - started, _status_mb("VmRSS")))

    def progress(stage: str, done: int, total: int) -> None:
        if not stages or stages[-1][0] != stage:
            mark(stage)

    def work() -> Any:
        mark("上传")
        batch = import_create(
            actor=actor, union=union, path=path, filename=Path(path).name, kind="roster"
        )
        mark("加锁")
        return import_apply(actor=actor, batch=batch, mode=ImportMode.VALID_ONLY, progress=progress)

    batch = _profiled("import", work)
    elapsed = time.perf_counter() - started
    peak = _maxrss_mb()
    created = Person.objects.filter(import_batch=batch).count()
    return {
        "seconds": elapsed,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "batch": batch.pk,
        "rows": batch.rows,
        "new": batch.new,
        "invalid": batch.invalid,
        "created": created,
        "stages": stages,
    }


def person_resource(union: Any) -> Any:
    """A django-import-export resource as a typical project writes it for this roster: the
    model's fields under their Chinese column names, the derived fields (encrypted ID, hash,
    mask, gender, birth date, union) computed in ``before_import_row``, people matched by the
    ID hash, a membership created for each new person. d-i-e's defaults otherwise (a savepoint,
    a diff and a save per row)."""
    from import_export import resources
    from import_export.fields import Field

    from gonghui.core import pii
    from gonghui.core.identifiers import mask_ric, normalize_mobile, normalize_ric
    from gonghui.membership.models import Membership, Person, SkillGrade, StartReason
    from gonghui.membership.roster import ric_born, ric_sex

    grades = {str(label): value for value, label in SkillGrade.choices}
    texts = ("姓名", "民族", "政治面貌", "文化程度", "工作单位", "职务", "户籍所在地", "备注")
    today = dt.date.today()  # noqa: DTZ011

    class PersonResource(resources.ModelResource):
        name = Field(attribute="name", column_name="姓名")
        mobile = Field(attribute="mobile", column_name="手机号码")
        workplace = Field(attribute="workplace", column_name="工作单位")
        job_title = Field(attribute="job_title", column_name="职务")
        ethnicity = Field(attribute="ethnicity", column_name="民族")
        education = Field(attribute="education", column_name="文化程度")
        political_status = Field(attribute="political_status", column_name="政治面貌")
        hukou = Field(attribute="hukou", column_name="户籍所在地")
        migrant = Field(attribute="migrant", column_name="是否外来务工人员")
        skill_grade = Field(attribute="skill_grade", column_name="技术等级")
        ric_encrypted = Field(attribute="ric_encrypted", column_name="ric_encrypted")
        ric_hash = Field(attribute="ric_hash", column_name="ric_hash")
        ric_masked = Field(attribute="ric_masked", column_name="ric_masked")
        gender = Field(attribute="gender", column_name="gender")
        birth_date = Field(attribute="birth_date", column_name="birth_date")
        union_id = Field(attribute="union_id", column_name="union_id")

        class Meta:
            model = Person
            fields = (
                "name",
                "mobile",
                "workplace",
                "job_title",
                "ethnicity",
                "education",
                "political_status",
                "hukou",
                "migrant",
                "skill_grade",
                "ric_encrypted",
                "ric_hash",
                "ric_masked",
                "gender",
                "birth_date",
                "union_id",
            )

        def before_import(self, dataset: Any, **kwargs: Any) -> None:
            # The totals row under the table is not a person.
            while len(dataset) and str(dataset[-1][0] or "").startswith(("合计", "总计")):
                del dataset[-1]

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            for key in texts:
                row[key] = str(row[key] or "").strip()
            ric = normalize_ric(row["身份证号"], today=today)
            row["ric_encrypted"] = pii.encrypt(ric)
            row["ric_hash"] = pii.lookup_hash(ric)
            row["ric_masked"] = mask_ric(ric)
            row["gender"] = ric_sex(ric)
            row["birth_date"] = ric_born(ric)
            row["union_id"] = union.pk
            row["手机号码"] = normalize_mobile(row["手机号码"]) if row["手机号码"] else ""
            row["是否外来务工人员"] = row["是否外来务工人员"] == "是"
            row["技术等级"] = grades.get(row["技术等级"] or "", "")

        def get_instance(self, instance_loader: Any, row: Any) -> Any:
            return Person.objects.filter(ric_hash=row["ric_hash"]).first()

        def after_init_instance(self, instance: Any, new: bool, row: Any, **kwargs: Any) -> None:
            self._new = new

        def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            if self._new:
                joined = row["入会时间"]
                Membership.objects.create(
                    person=instance,
                    union_id=union.pk,
                    started_on=joined.date() if isinstance(joined, dt.datetime) else joined,
                    start_reason=StartReason.JOINED,
                    note=row["备注"],
                )

    return PersonResource()


def child_die(path: str, union_code: str) -> dict[str, Any]:
    """django-import-export on the same kind of file, timed, in this (fresh) process."""
    setup_django()
    import tablib

    from gonghui.membership.models import Membership, Person
    from gonghui.organisation.models import Union

    union = Union.objects.get(code=union_code)
    baseline = _maxrss_mb()
    started = time.perf_counter()

    def work() -> Any:
        with open(path, "rb") as fh:  # the title and "填报单位" rows sit above the header
            dataset = tablib.Dataset().load(fh, format="xlsx", skip_lines=2)
        loaded = time.perf_counter() - started
        result = person_resource(union).import_data(dataset, dry_run=False, use_transactions=True)
        return loaded, result

    loaded, result = _profiled("die", work)
    elapsed = time.perf_counter() - started
    peak = _maxrss_mb()
    if result.has_errors() or result.has_validation_errors():
        first = result.row_errors()[:1] or result.invalid_rows[:1]
        raise SystemExit(f"django-import-export reported errors: {first!r}")
    return {
        "seconds": elapsed,
        "load_seconds": loaded,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "new": result.totals.get("new", 0),
        "people": Person.objects.filter(union=union, ric_masked__startswith="1101").count(),
        "memberships": Membership.objects.filter(
            union=union, person__ric_masked__startswith="1101"
        ).count(),
    }


def _run_child(mode: str, path: Path, union_code: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), mode, str(path), union_code],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stdout)
        raise RuntimeError(f"the {mode} child failed (exit status {out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the benchmark ---------------------------------------------------------------------------


def run() -> None:
    note(
        "load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    fresh_database()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from gonghui.membership.exporting import roster_xlsx
    from gonghui.membership.models import Membership
    from gonghui.organisation.models import Union, UnionKind

    started = time.monotonic()
    call_command("build_demo", scale=0.02, stdout=io.StringIO())
    note(f"demo district (scale 0.02) built in {time.monotonic() - started:.0f} s")
    # Open enterprise unions founded before the file's earliest join date (2010): a join
    # before the union's founding is an invalid row.
    enterprise_unions = Union.objects.filter(
        kind=UnionKind.ENTERPRISE, dissolved_on__isnull=True, founded_on__lte=dt.date(2010, 1, 1)
    ).order_by("pk")
    union = enterprise_unions.filter(code=UNION_CODE).first() or enterprise_unions.first()
    assert union is not None, "the demo built no enterprise union"
    other = enterprise_unions.exclude(pk=union.pk).first()
    assert other is not None, "the demo built only one enterprise union"
    actor = get_user_model().objects.get(username="sysadmin")

    with tempfile.TemporaryDirectory(prefix="gonghui-bench-roster-") as tmp:
        big = Path(tmp) / "花名册-100k.xlsx"
        small = Path(tmp) / "花名册-10k.xlsx"
        started = time.monotonic()
        write_roster(big, ROWS, seed=SEED, regions=REGIONS_100K)
        write_roster(small, DIE_ROWS, seed=DIE_SEED, regions=REGIONS_10K)
        note(
            f"roster files generated in {time.monotonic() - started:.0f} s "
            f"({big.stat().st_size / 1e6:.1f} MB and {small.stat().st_size / 1e6:.1f} MB)"
        )

        # Our import, in a fresh process: its own high-water mark is the import's peak.
        ours = _run_child("import", big, union.code)
        assert ours["invalid"] == 0, ours
        assert ours["new"] == ROWS, ours
        assert ours["created"] == ROWS, ours
        emit("import_100k_seconds", ours["seconds"], "s")
        emit("import_100k_peak_mb", ours["peak_mb"], "MB")
        note(f"import into {union.code}: {ours['rows']} rows, {ours['new']} new people")
        note(f"import process before the import (Django loaded): {ours['baseline_mb']:.0f} MB")
        marks = [*ours["stages"], ("(end)", ours["seconds"], None)]
        for (stage, at, rss), (_next, until, _rss) in itertools.pairwise(marks):
            at_start = f" ({rss:.0f} MB resident at its start)" if rss is not None else ""
            note(f"import stage {until - at:6.2f} s  {stage}{at_start}")

        # django-import-export on 10,000 rows, extrapolated linearly to 100,000 (x10).
        die = _run_child("die", small, other.code)
        assert die["new"] == DIE_ROWS, die
        assert die["memberships"] == DIE_ROWS, die
        note(
            f"django-import-export 10k: {die['seconds']:.2f} s (of which tablib load "
            f"{die['load_seconds']:.2f} s), peak {die['peak_mb']:.0f} MB"
        )
        extrapolated = die["seconds"] * (ROWS / DIE_ROWS)
        emit("django_import_export_10k_seconds", die["seconds"], "s")
        emit("import_vs_django_import_export", extrapolated / ours["seconds"], "x")

        # Export the 100,000 memberships the import wrote.
        memberships = Membership.objects.filter(union=union, import_batch_id=ours["batch"])
        assert memberships.count() == ROWS
        out = Path(tmp) / "export.xlsx"
        started = time.perf_counter()
        content = roster_xlsx(actor=actor, memberships=memberships, union=union)
        out.write_bytes(content)
        took = time.perf_counter() - started
        note(f"export: {len(content) / 1e6:.1f} MB")
        emit("export_100k_seconds", took, "s")

    # The figures assume this process had the database (and the machine) to itself.
    from gonghui.core.models import ImportBatch

    foreign = ImportBatch.objects.exclude(pk=ours["batch"]).count()
    if foreign:
        note(
            f"WARNING: {foreign} import batch(es) not made by this benchmark appeared in "
            f"{BENCH_DB} during the run: something else used the database; figures are suspect"
        )
    note(
        "load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )


if __name__ == "__main__":
    mode, file, code = sys.argv[1:4]
    children = {"import": child_import, "die": child_die}
    print(json.dumps(children[mode](file, code), ensure_ascii=False), flush=True)
