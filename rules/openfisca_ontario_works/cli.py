"""``ow-calc``: one benefit unit's monthly Ontario Works calculation (see the ow-calc contract).

    ow-calc < unit.json              one JSON object in, one JSON object out (exit 0)
    ow-calc --batch < units.jsonl    JSON Lines in, JSON Lines out, same order (exit 0, or 1 if
                                     any line was invalid: that line becomes {"line": N, "errors"})

Invalid input in single mode: exit 2, nothing on stdout, one ``path: message`` line per problem
on stderr. Batch mode reads the input in chunks of ``--chunk-size`` lines; each chunk is parsed,
validated and calculated as arrays (one OpenFisca simulation per law period in the chunk),
and chunks are spread over ``--workers`` processes, output kept in input order.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import queue
import sys
from collections.abc import Iterator, Sequence
from multiprocessing import get_context
from multiprocessing.queues import Queue
from typing import Any, BinaryIO

from openfisca_ontario_works.engine import compute_lines, loads
from openfisca_ontario_works.tax_benefit_system import tax_benefit_system
from openfisca_ontario_works.validation import Unit, parse_unit

EXIT_OK, EXIT_INVALID_LINES, EXIT_INVALID_INPUT = 0, 1, 2
DEFAULT_CHUNK_SIZE = 10_000  # 100,000 units = 10 chunks: both workers stay busy to the end
OUTPUT_SLICE = 1_000  # lines per encoded output piece (~2 MB)
# Shared by forked workers: the turn to write the next chunk (created before fork).
CONDITION = get_context("fork").Condition()


def _json_error(error: json.JSONDecodeError) -> str:
    return f"$: invalid JSON ({error.msg} at line {error.lineno} column {error.colno})"


def _parse_lines(lines: Sequence[bytes]) -> list[tuple[Any, str | None]]:
    """Parse JSON lines; fast path parses the whole chunk as one JSON array.

    The fast path joins the raw lines: JSON allows the line breaks and blanks around each value,
    and any line that is not exactly one JSON value (empty, two values, other whitespace) makes
    the array invalid or changes its length, so the chunk falls back to line by line.
    """
    try:
        values = loads(b"[" + b",".join(lines) + b"]")
    except ValueError:
        values = None
    if isinstance(values, list) and len(values) == len(lines):
        return [(value, None) for value in values]
    parsed: list[tuple[Any, str | None]] = []
    for line in (line.strip() for line in lines):
        if not line:
            parsed.append((None, "$: empty line (expected one JSON object)"))
            continue
        try:
            parsed.append((loads(line), None))
        except json.JSONDecodeError as error:
            parsed.append((None, _json_error(error)))
        except UnicodeDecodeError:
            parsed.append((None, "$: invalid UTF-8"))
    return parsed


def process_chunk(first_line: int, lines: Sequence[bytes]) -> tuple[list[bytes], int]:
    """Output text (JSON Lines) for one chunk and the number of invalid lines in it.

    The cyclic garbage collector is paused while a chunk is built: parsing creates hundreds of
    thousands of containers that live until the chunk is written, and collecting them over and
    over cost about a third of the CPU time. Afterwards one young-generation pass frees any cycle
    the chunk left behind (OpenFisca's simulation objects).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _process_chunk(first_line, lines)
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


def _process_chunk(first_line: int, lines: Sequence[bytes]) -> tuple[list[bytes], int]:
    outputs: list[str] = [""] * len(lines)
    valid: list[Unit] = []
    positions: list[int] = []
    invalid = 0
    for index, (value, json_problem) in enumerate(_parse_lines(lines)):
        if json_problem is not None:
            errors = [json_problem]
        else:
            errors, unit = parse_unit(value)
            if unit is not None:
                valid.append(unit)
                positions.append(index)
                continue
        invalid += 1
        outputs[index] = json.dumps(
            {"line": first_line + index, "errors": errors}, ensure_ascii=False
        )
    if valid:
        for index, line in zip(positions, compute_lines(valid), strict=True):
            outputs[index] = line
    # Encoded in slices: buffers below glibc's mmap threshold are reused from chunk to chunk
    # instead of being mapped and page-faulted afresh (that was most of the system CPU time).
    pieces = [
        "\n".join([*outputs[start : start + OUTPUT_SLICE], ""]).encode()
        for start in range(0, len(outputs), OUTPUT_SLICE)
    ]
    return pieces, invalid


def _chunks(stream: BinaryIO, size: int) -> Iterator[tuple[int, list[bytes]]]:
    line_number = 1
    iterator = iter(stream)
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield line_number, chunk
        line_number += len(chunk)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _worker(tasks: Queue[Any], turn: Any, invalid: Any, fd: int) -> None:
    """Compute chunks; write each one to ``fd`` when its turn comes (keeps input order)."""
    while (task := tasks.get()) is not None:
        sequence, first_line, lines = task
        pieces, bad = process_chunk(first_line, lines)
        with CONDITION:
            while turn.value != sequence:
                CONDITION.wait()
            for piece in pieces:
                _write_all(fd, piece)
            invalid.value += bad
            turn.value += 1
            CONDITION.notify_all()


def _run_workers(chunks: Iterator[tuple[int, list[bytes]]], fd: int, workers: int) -> int:
    """Fan chunks out to forked workers that write their results straight to ``fd``, in order.

    The parent only reads input; results never travel back through a pipe. Returns the number of
    invalid lines.
    """
    context = get_context("fork")
    tasks: Queue[Any] = context.Queue(maxsize=workers * 2)
    turn = context.Value("q", 0)
    invalid = context.Value("q", 0)
    processes = [
        context.Process(target=_worker, args=(tasks, turn, invalid, fd), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()

    def check_workers() -> None:
        if any(process.exitcode not in (None, 0) for process in processes):
            raise RuntimeError("an ow-calc worker process failed")

    def put(task: Any) -> None:
        while True:
            try:
                tasks.put(task, timeout=0.5)
            except queue.Full:
                check_workers()
            else:
                return

    try:
        for sequence, (first_line, lines) in enumerate(chunks):
            put((sequence, first_line, lines))
        for _ in processes:
            put(None)
        while (alive := next((p for p in processes if p.is_alive()), None)) is not None:
            check_workers()
            alive.join(timeout=0.2)
        check_workers()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
    return int(invalid.value)


def run_batch(
    stream: BinaryIO, out: BinaryIO, *, workers: int, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> int:
    """Process JSON Lines from ``stream`` to ``out``; return the exit status."""
    tax_benefit_system()  # load once; forked workers inherit it
    gc.freeze()  # never traverse (nor copy-on-write) the loaded system in a collection
    invalid = 0
    chunks = _chunks(stream, chunk_size)
    first = next(chunks, None)
    if first is None:
        return EXIT_OK
    second = next(chunks, None)
    if workers <= 1 or second is None:
        head = [first] if second is None else [first, second]
        for first_line, lines in itertools.chain(head, chunks):
            pieces, bad = process_chunk(first_line, lines)
            for piece in pieces:
                out.write(piece)
            invalid += bad
    else:
        out.flush()
        invalid = _run_workers(itertools.chain([first, second], chunks), out.fileno(), workers)
    out.flush()
    return EXIT_INVALID_LINES if invalid else EXIT_OK


def run_single(data: bytes, out: BinaryIO, err: Any) -> int:
    """Calculate one unit from ``data``; return the exit status."""
    try:
        raw = loads(data)
    except json.JSONDecodeError as error:
        err.write(_json_error(error) + "\n")
        return EXIT_INVALID_INPUT
    except UnicodeDecodeError:
        err.write("$: invalid UTF-8\n")
        return EXIT_INVALID_INPUT
    errors, unit = parse_unit(raw)
    if unit is None:
        err.write("".join(f"{error}\n" for error in errors))
        return EXIT_INVALID_INPUT
    out.write(compute_lines([unit])[0].encode() + b"\n")
    out.flush()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ow-calc`` console script."""
    parser = argparse.ArgumentParser(
        prog="ow-calc", description="Ontario Works monthly calculation (rules as code)."
    )
    parser.add_argument("--batch", action="store_true", help="JSON Lines in, JSON Lines out")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for --batch (default: CPU count; 1 = in this process)",
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK_SIZE,
        help=f"lines per vectorised chunk in --batch (default {DEFAULT_CHUNK_SIZE})",
    )
    args = parser.parse_args(argv)
    if args.batch:
        return run_batch(
            sys.stdin.buffer,
            sys.stdout.buffer,
            workers=args.workers,
            chunk_size=max(1, args.chunk_size),
        )
    return run_single(sys.stdin.buffer.read(), sys.stdout.buffer, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
