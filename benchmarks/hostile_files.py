"""The hostile-file corpus: spreadsheets built to crash, starve or stall whatever reads them.

Each file is written from scratch (raw zip and XML where a library would refuse
to write something so broken), so the corpus is reproducible and small on disk:

| file | what it tries |
|---|---|
| dimension_bomb.xlsx | one cell in A1 and one in XFD1048576, declared `<dimension ref="A1:XFD1048576">`: a reader that allocates the declared grid asks for 512 GiB |
| dimension_bomb_undeclared.xlsx | the same two cells with no `<dimension>`: the grid is only found while reading |
| zip_ratio_bomb.xlsx | a sheet of ~1 GB of XML deflated to ~1 MB (compression ratio ~1000:1) |
| zip_many_entries.xlsx | a workbook plus 60,000 tiny zip entries (the directory alone is the bomb) |
| zip_overlap_bomb.xlsx | 500 directory entries that all point at the same deflated 4 MB block (2 GB declared) |
| zip_lying_sizes.xlsx | a sheet whose directory says 2 kB while its data inflates to ~400 MB |
| billion_laughs.xlsx | shared strings with nested XML entities (expands to gigabytes if a parser expands them) |
| many_rows.xlsx | 1,048,576 rows (Excel's maximum) of one column |
| many_columns.csv | 5,000 columns × 200 rows |
| unbalanced_quotes.csv | a quote opened on line 2 and never closed, then 200,000 lines |

`python -m benchmarks.hostile_files --out DIR` writes them and prints their sizes;
tests/ingest/test_guard.py and tests/browser/test_hostile_uploads.py read them
through `ingest.guard` (CLI) and through the running server.
"""

from __future__ import annotations

import argparse
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>{extra}</Relationships>'
)
SHARED_STRINGS_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/>'
)
SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _skeleton(shared_strings: bool = False) -> dict[str, str]:
    """The parts every workbook needs, except the sheet itself."""
    return {
        "[Content_Types].xml": CONTENT_TYPES.format(extra=SHARED_STRINGS_TYPE if shared_strings else ""),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(extra=SHARED_STRINGS_REL if shared_strings else ""),
    }


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def dimension_bomb(declared: bool = True) -> bytes:
    """Two cells at opposite corners of the largest possible sheet."""
    dimension = '<dimension ref="A1:XFD1048576"/>' if declared else ""
    sheet = (f"{SHEET_HEAD}{dimension}<sheetData>"
             f'<row r="1">{_cell("A1", "worker_id")}</row>'
             f'<row r="1048576">{_cell("XFD1048576", "W1")}</row>'
             "</sheetData></worksheet>")
    return _zip({**_skeleton(), "xl/worksheets/sheet1.xml": sheet})


def _deflate_stream(chunks: Iterator[bytes]) -> tuple[bytes, int, int]:
    """Raw-deflate a stream of chunks: (compressed bytes, CRC-32, uncompressed size)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        out.append(compressor.compress(chunk))
    out.append(compressor.flush())
    return b"".join(out), crc, size


def _rows_xml(megabytes: int) -> Iterator[bytes]:
    """A sheet of about `megabytes` MB of identical rows (compresses about 1000:1)."""
    yield (SHEET_HEAD + "<sheetData>").encode()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * (1024 * 1024 // len(row))
    for _ in range(megabytes):
        yield block
    yield b"</sheetData></worksheet>"


def _raw_zip(entries: list[tuple[str, bytes, int, int, int | None]], directory: list[tuple] | None = None) -> bytes:
    """A zip written by hand: entries (name, deflated data, crc, real size, declared size or None = real).

    `directory` may list central-directory records (name, local header offset, compressed size, crc, declared
    size) to write instead of one per entry (for overlapping entries).
    """
    body = io.BytesIO()
    records = []
    for name, data, crc, size, declared in entries:
        encoded = name.encode()
        offset = body.tell()
        usize = size if declared is None else declared
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), usize, len(encoded), 0))
        body.write(encoded)
        body.write(data)
        records.append((name, offset, len(data), crc, usize))
    start = body.tell()
    for name, offset, csize, crc, usize in directory if directory is not None else records:
        encoded = name.encode()
        body.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, csize, usize,
                               len(encoded), 0, 0, 0, 0, 0, offset))
        body.write(encoded)
    end = body.tell()
    count = len(directory if directory is not None else records)
    body.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), end - start,
                           start, 0))
    return body.getvalue()


def _stored(parts: dict[str, str]) -> list[tuple[str, bytes, int, int, int | None]]:
    """Skeleton parts as deflated entries for _raw_zip."""
    out = []
    for name, text in parts.items():
        data, crc, size = _deflate_stream(iter([text.encode()]))
        out.append((name, data, crc, size, None))
    return out


def zip_ratio_bomb(megabytes: int = 1024) -> bytes:
    """One honest entry of ~`megabytes` MB of XML, deflated about 1000:1."""
    data, crc, size = _deflate_stream(_rows_xml(megabytes))
    return _raw_zip([*_stored(_skeleton()), ("xl/worksheets/sheet1.xml", data, crc, size, None)])


def zip_many_entries(count: int = 60_000) -> bytes:
    """A small valid workbook followed by `count` empty-ish entries."""
    sheet = f'{SHEET_HEAD}<sheetData><row r="1">{_cell("A1", "worker_id")}</row></sheetData></worksheet>'
    entries = _stored({**_skeleton(), "xl/worksheets/sheet1.xml": sheet})
    filler, crc, size = _deflate_stream(iter([b"x"]))
    entries += [(f"xl/media/f{i}.bin", filler, crc, size, None) for i in range(count)]
    return _raw_zip(entries)


def zip_overlap_bomb(copies: int = 500, megabytes: int = 4) -> bytes:
    """Many directory records that all point at one deflated block (an 'overlapping entries' bomb)."""
    data, crc, size = _deflate_stream(_rows_xml(megabytes))
    entries = [*_stored(_skeleton()), ("xl/worksheets/sheet1.xml", data, crc, size, None)]
    # the directory repeats the sheet's record `copies` times under other names, all at one offset
    offsets, position = [], 0
    for name, blob, *_ in entries:
        offsets.append(position)
        position += 30 + len(name.encode()) + len(blob)
    directory = [(name, off, len(blob), c, s) for (name, blob, c, s, _), off in zip(entries, offsets, strict=True)]
    sheet_offset = offsets[-1]
    directory += [(f"xl/worksheets/sheet{i}.xml", sheet_offset, len(data), crc, size) for i in range(2, copies + 2)]
    return _raw_zip(entries, directory)


def zip_lying_sizes(megabytes: int = 400) -> bytes:
    """A sheet whose local header and directory both declare 2 kB, while its data inflates to `megabytes` MB."""
    data, crc, size = _deflate_stream(_rows_xml(megabytes))
    return _raw_zip([*_stored(_skeleton()), ("xl/worksheets/sheet1.xml", data, crc, size, 2048)])


def billion_laughs() -> bytes:
    """Shared strings defining ten nested entities of ten copies each (10^10 'lol's if expanded)."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    strings = ('<?xml version="1.0" encoding="UTF-8"?>'
               f'<!DOCTYPE sst [{"".join(entities)}]>'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               "<si><t>&lol9;</t></si></sst>")
    sheet = f'{SHEET_HEAD}<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return _zip({**_skeleton(shared_strings=True), "xl/sharedStrings.xml": strings,
                 "xl/worksheets/sheet1.xml": sheet})


def many_rows(rows: int = 1_048_576) -> bytes:
    """A sheet of `rows` rows (Excel's limit by default), one short number each, with a header."""
    def chunks() -> Iterator[bytes]:
        yield (SHEET_HEAD + f'<dimension ref="A1:A{rows}"/><sheetData>').encode()
        yield f'<row r="1">{_cell("A1", "Employee Number")}</row>'.encode()
        step = 50_000
        for first in range(2, rows + 1, step):
            last = min(rows, first + step - 1)
            yield "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(first, last + 1)).encode()
        yield b"</sheetData></worksheet>"

    data, crc, size = _deflate_stream(chunks())
    return _raw_zip([*_stored(_skeleton()), ("xl/worksheets/sheet1.xml", data, crc, size, None)])


def many_columns(columns: int = 5000, rows: int = 200) -> bytes:
    """A CSV `columns` wide."""
    header = ",".join(f"col{i}" for i in range(columns))
    line = ",".join(str(i % 10) for i in range(columns))
    return ("\n".join([header, *([line] * rows)]) + "\n").encode()


def unbalanced_quotes(lines: int = 200_000) -> bytes:
    """A staff CSV whose second line opens a quote that is never closed."""
    head = "worker_id,service_area,role,worker_type,fte,start_date\n"
    bad = 'W0,"Children\'s Social Work,Social Worker,permanent,1,2020-01-01\n'
    body = "".join(f"W{i},Children's Social Work,Social Worker,permanent,1,2020-01-01\n" for i in range(1, lines))
    return (head + bad + body).encode()


CORPUS: dict[str, Callable[[], bytes]] = {
    "dimension_bomb.xlsx": dimension_bomb,
    "dimension_bomb_undeclared.xlsx": lambda: dimension_bomb(declared=False),
    "zip_ratio_bomb.xlsx": zip_ratio_bomb,
    "zip_many_entries.xlsx": zip_many_entries,
    "zip_overlap_bomb.xlsx": zip_overlap_bomb,
    "zip_lying_sizes.xlsx": zip_lying_sizes,
    "billion_laughs.xlsx": billion_laughs,
    "many_rows.xlsx": many_rows,
    "many_columns.csv": many_columns,
    "unbalanced_quotes.csv": unbalanced_quotes,
}
"""File name → function writing its bytes."""


def write_corpus(directory: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the corpus (or the named files) into `directory`, reusing files already there; name → path."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in names or list(CORPUS):
        path = directory / name
        if not path.exists():
            tmp = path.with_suffix(path.suffix + ".part")
            tmp.write_bytes(CORPUS[name]())
            tmp.replace(path)
        out[name] = path
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the corpus and print each file's size."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile_files", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="/tmp/workforce-lens-hostile", help="directory to write the files into")
    args = parser.parse_args(argv)
    for name, path in write_corpus(Path(args.out)).items():
        print(f"{name:34} {path.stat().st_size:>12,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
