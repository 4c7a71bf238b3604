#!/usr/bin/env python3
# Writes fuzz/corpus/fuzz_model/: whole model files (the 32-byte container
# header with right CRCs) whose Boost archive header is damaged in the ways
# dagprop once accepted (issue 11: library versions 0-3, a newer one, an XML
# end tag with a blank or split across lines, another XML prolog). Made from
# the committed files in tests/data; run from the repository root.
import struct
import zlib
from pathlib import Path

DATA = Path("tests/data")
OUT = Path("fuzz/corpus/fuzz_model")


def with_payload(base: bytes, payload: bytes) -> bytes:
    head = bytearray(base[:32])
    head[16:24] = struct.pack("<Q", len(payload))
    head[24:28] = struct.pack("<I", zlib.crc32(payload))
    head[28:32] = struct.pack("<I", zlib.crc32(bytes(head[:28])))
    return bytes(head) + payload


def edited(name: str, old: bytes, new: bytes) -> tuple:
    base = (DATA / name).read_bytes()
    payload = base[32:]
    assert old in payload, (name, old)
    return base, payload.replace(old, new, 1)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    text = "model_v2_text_double.dpn"
    xml = "model_v1_xml_double.dpn"
    binary = "model_v1_binary_float.dpn"
    sig = b"serialization::archive"
    seeds = {
        "text_version_0.dpn": edited(text, sig + b" 18 ", sig + b" 0 "),
        "text_version_3.dpn": edited(text, sig + b" 18 ", sig + b" 3 "),
        "text_version_99.dpn": edited(text, sig + b" 18 ", sig + b" 99 "),
        "text_version_018.dpn": edited(text, sig + b" 18 ", sig + b" 018 "),
        "xml_version_0.dpn": edited(xml, b'version="18">', b'version="0">'),
        "xml_version_3.dpn": edited(xml, b'version="18">', b'version="3">'),
        "xml_end_blank.dpn": edited(xml, b"</boost_serialization>", b"</ boost_serialization>"),
        "xml_end_split.dpn": edited(xml, b"</boost_serialization>", b"</boost_serialization\n>"),
        "xml_prolog.dpn": edited(xml, b' standalone="yes" ?>', b"?>"),
        "binary_version_3.dpn": edited(binary, sig + b"\x12\x00", sig + b"\x03\x00"),
    }
    for name, (base, payload) in seeds.items():
        (OUT / name).write_bytes(with_payload(base, payload))


if __name__ == "__main__":
    main()
