/**
 * Reads a request body as DRF's JSONParser does (a strict UTF-8 decoder, then Python's json module),
 * with Python's error messages and places. Numbers keep their source text (`JsonNumber`), so that a
 * number given for a string field becomes exactly the string Python would make of it. A message
 * never quotes a piece of the body.
 */
import { JsonNumber } from "../validation/json-number";

export class JsonParseError extends Error {}

/** Objects nested deeper than this are refused (Python's parser would exhaust its recursion limit). */
const MAX_DEPTH = 512;

/** The body as a parsed JSON value, or JsonParseError with DRF's message after "JSON parse error - ". */
export function parsePythonJson(bytes: Uint8Array): unknown {
  return new Parser(decodeUtf8(bytes)).document();
}

/** Strict UTF-8, as Python's codec reports a bad byte: "'utf-8' codec can't decode byte 0xff in position 3: …". */
function decodeUtf8(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) throw utf8Error(bytes, i, 1, "invalid start byte");
    // The second byte's range excludes overlong forms, surrogates and code points beyond U+10FFFF.
    const [low, high] =
      lead === 0xe0
        ? [0xa0, 0xbf]
        : lead === 0xed
          ? [0x80, 0x9f]
          : lead === 0xf0
            ? [0x90, 0xbf]
            : lead === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) throw utf8Error(bytes, i, k, "unexpected end of data");
      const valid = k === 1 ? byte >= low && byte <= high : byte >= 0x80 && byte <= 0xbf;
      if (!valid) throw utf8Error(bytes, i, k, "invalid continuation byte");
    }
    i += length;
  }
  // Valid by now; a BOM is kept as a character, as Python's codec keeps it (and its json module refuses it).
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
}

function utf8Error(bytes: Uint8Array, start: number, count: number, reason: string) {
  const where =
    count === 1
      ? `byte 0x${bytes[start]!.toString(16).padStart(2, "0")} in position ${start}`
      : `bytes in position ${start}-${start + count - 1}`;
  return new JsonParseError(`'utf-8' codec can't decode ${where}: ${reason}`);
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const CONSTANTS = ["NaN", "Infinity", "-Infinity"];
// Python 3.11 refuses to convert longer integer literals (sys.get_int_max_str_digits()).
const MAX_INT_DIGITS = 4300;

/** Python's json scanner (the C one CPython uses), in the same order of checks, so errors fall at the same place. */
class Parser {
  private depth = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    if (this.text.startsWith("\ufeff")) throw this.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
    let [value, i] = this.value(this.skip(0));
    i = this.skip(i);
    if (i !== this.text.length) throw this.error("Extra data", i);
    return value;
  }

  private skip(i: number): number {
    while (WHITESPACE.has(this.text[i]!)) i++;
    return i;
  }

  /** "<what>: line L column C (char N)", with N counted in code points as Python counts. */
  private error(what: string, at: number): JsonParseError {
    const before = this.text.slice(0, at);
    const char = [...before].length;
    const newline = before.lastIndexOf("\n");
    const line = before.split("\n").length;
    const column = newline < 0 ? char + 1 : char - [...before.slice(0, newline)].length;
    return new JsonParseError(`${what}: line ${line} column ${column} (char ${char})`);
  }

  private value(i: number): [unknown, number] {
    const { text } = this;
    const char = text[i];
    if (char === '"') return this.string(i);
    if (char === "{") return this.nested(() => this.object(i));
    if (char === "[") return this.nested(() => this.array(i));
    for (const [word, value] of [
      ["null", null],
      ["true", true],
      ["false", false],
    ] as const) {
      if (text.startsWith(word, i)) return [value, i + word.length];
    }
    for (const constant of CONSTANTS) {
      if (text.startsWith(constant, i)) throw new JsonParseError(`Out of range float values are not JSON compliant: '${constant}'`);
    }
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) throw this.error("Expecting value", i);
    const number = new JsonNumber(match[0]);
    const digits = match[0].replace("-", "").length;
    if (number.isInteger && digits > MAX_INT_DIGITS) {
      throw new JsonParseError(
        `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
      );
    }
    return [number, NUMBER.lastIndex];
  }

  private nested(parse: () => [unknown, number]): [unknown, number] {
    if (++this.depth > MAX_DEPTH) throw new JsonParseError(`Nesting deeper than ${MAX_DEPTH} levels`);
    const result = parse();
    this.depth--;
    return result;
  }

  private object(start: number): [unknown, number] {
    // No prototype: "__proto__" is a key like any other.
    const object: Record<string, unknown> = Object.create(null);
    let i = this.skip(start + 1);
    if (this.text[i] === "}") return [object, i + 1];
    for (;;) {
      if (this.text[i] !== '"') throw this.error("Expecting property name enclosed in double quotes", i);
      const [key, afterKey] = this.string(i);
      i = this.skip(afterKey);
      if (this.text[i] !== ":") throw this.error("Expecting ':' delimiter", i);
      const [value, afterValue] = this.value(this.skip(i + 1));
      object[key] = value;
      i = this.skip(afterValue);
      if (this.text[i] === "}") return [object, i + 1];
      if (this.text[i] !== ",") throw this.error("Expecting ',' delimiter", i);
      i = this.skip(i + 1);
    }
  }

  private array(start: number): [unknown, number] {
    const array: unknown[] = [];
    let i = this.skip(start + 1);
    if (this.text[i] === "]") return [array, i + 1];
    for (;;) {
      const [value, after] = this.value(i);
      array.push(value);
      i = this.skip(after);
      if (this.text[i] === "]") return [array, i + 1];
      if (this.text[i] !== ",") throw this.error("Expecting ',' delimiter", i);
      i = this.skip(i + 1);
    }
  }

  private string(start: number): [string, number] {
    const { text } = this;
    let out = "";
    let i = start + 1;
    for (;;) {
      let end = i;
      while (end < text.length && text[end] !== '"' && text[end] !== "\\") {
        if (text.charCodeAt(end) <= 0x1f) throw this.error("Invalid control character at", end);
        end++;
      }
      if (end >= text.length) throw this.error("Unterminated string starting at", start);
      out += text.slice(i, end);
      if (text[end] === '"') return [out, end + 1];
      const escaped = text[end + 1];
      if (escaped === undefined) throw this.error("Unterminated string starting at", start);
      if (escaped !== "u") {
        const decoded = ESCAPES[escaped];
        if (decoded === undefined) throw this.error("Invalid \\escape", end);
        out += decoded;
        i = end + 2;
        continue;
      }
      // Python refuses a \u escape that the body ends right after (its end-of-text check counts one more).
      const hex = text.slice(end + 2, end + 6);
      if (end + 6 >= text.length || !HEX4.test(hex)) throw this.error("Invalid \\uXXXX escape", end + 1);
      const pair = text.slice(end + 6, end + 12);
      if (/^[dD][89abAB]/.test(hex) && end + 12 < text.length && pair.startsWith("\\u")) {
        if (!HEX4.test(pair.slice(2))) throw this.error("Invalid \\uXXXX escape", end + 7);
        const low = parseInt(pair.slice(2), 16);
        if (low >= 0xdc00 && low <= 0xdfff) {
          out += String.fromCharCode(parseInt(hex, 16), low);
          i = end + 12;
          continue;
        }
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i = end + 6;
    }
  }
}
