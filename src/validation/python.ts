/**
 * How Python writes and trims values, for DRF's exact answers: `str()` of a parsed JSON value, the
 * `repr()` inside a list's or a dict's `str()`, and `str.strip()`.
 */
import { JsonNumber } from "./json-number";

// Python's str.isspace(): U+001C–U+001F and U+0085 are white space, U+FEFF is not (unlike JavaScript's trim()).
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");

export const pyStrip = (text: string) => text.replace(STRIP, "");

/** Python's repr() of a float, from the shortest digits that give the same double (as both languages find them). */
function floatText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const point = Number(exponentText) + 1; // digits × 10^(point − digits.length)
  const sign = value < 0 ? "-" : "";
  if (point <= -4 || point > 16) {
    const exponent = point - 1;
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Python's str() of a number parsed by its json module: an int keeps every digit, a float is a double. */
const numberText = (number: JsonNumber) => (number.isInteger ? BigInt(number.source).toString() : floatText(number.value));

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === "\\") out += `\\${char}`;
    else if (char === "\t") out += "\\t";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x7f || char === " " || !NOT_PRINTABLE.test(char)) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return out + quote;
}

function repr(value: unknown): string {
  return typeof value === "string" ? stringRepr(value) : pyStr(value);
}

/** Python's str() of a value of a parsed JSON body. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (value instanceof JsonNumber) return numberText(value);
  if (Array.isArray(value)) return `[${value.map(repr).join(", ")}]`;
  return `{${Object.entries(value as object)
    .map(([key, item]) => `${stringRepr(key)}: ${repr(item)}`)
    .join(", ")}}`;
}

/** The name of a parsed JSON value's Python type, as DRF's messages give it. */
export function pyTypeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "str";
  if (value instanceof JsonNumber) return value.isInteger ? "int" : "float";
  return Array.isArray(value) ? "list" : "dict";
}
