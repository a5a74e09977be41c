// The JSON parser, alone: Python's messages and places, numbers as written, strict UTF-8.
import { describe, expect, it } from "vitest";
import { JsonParseError, parsePythonJson } from "../../src/http/python-json";
import { JsonNumber } from "../../src/validation/json-number";
import { pyStr, pyStrip } from "../../src/validation/python";

const parse = (text: string) => parsePythonJson(new TextEncoder().encode(text));
const errorOf = (text: string | Uint8Array) => {
  try {
    parsePythonJson(typeof text === "string" ? new TextEncoder().encode(text) : text);
  } catch (error) {
    if (error instanceof JsonParseError) return error.message;
    throw error;
  }
  return undefined;
};

describe("parsePythonJson", () => {
  it("parses objects, keeps numbers as written, and makes __proto__ a key like any other", () => {
    const body = parse('{"a": [1, 1.0, -0, 1e400], "__proto__": {"b": null}, "a2": "\\ud83d\\udca7"}') as Record<string, unknown>;
    expect((body.a as JsonNumber[]).map((n) => n.source)).toEqual(["1", "1.0", "-0", "1e400"]);
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(Object.keys(body)).toEqual(["a", "__proto__", "a2"]);
    expect(body.a2).toBe("💧");
  });

  for (const [text, message] of [
    ["", "Expecting value: line 1 column 1 (char 0)"],
    ["\n\n x", "Expecting value: line 3 column 2 (char 3)"],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['"💧💧" x', "Extra data: line 1 column 6 (char 5)"],
    ['"abc', "Unterminated string starting at: line 1 column 1 (char 0)"],
    ['"a\\u00"', "Invalid \\uXXXX escape: line 1 column 4 (char 3)"],
    ['"\\ud800\\uZZZZ"', "Invalid \\uXXXX escape: line 1 column 9 (char 8)"],
    ["[NaN]", "Out of range float values are not JSON compliant: 'NaN'"],
    ["\ufeff{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"],
  ] as const) {
    it(`${JSON.stringify(text)} → ${message}`, () => {
      expect(errorOf(text)).toBe(message);
    });
  }

  it("decodes UTF-8 strictly, naming the bytes as Python's codec does", () => {
    expect(errorOf(new Uint8Array([0x22, 0xc3, 0x28, 0x22]))).toBe(
      "'utf-8' codec can't decode byte 0xc3 in position 1: invalid continuation byte",
    );
    expect(errorOf(new Uint8Array([0x22, 0xf8]))).toBe("'utf-8' codec can't decode byte 0xf8 in position 1: invalid start byte");
    expect(errorOf(new Uint8Array([0x22, 0xf0, 0x9f, 0x92]))).toBe(
      "'utf-8' codec can't decode bytes in position 1-3: unexpected end of data",
    );
  });
});

describe("Python's str() and strip()", () => {
  for (const [source, text] of [
    ["1e22", "1e+22"],
    ["123.456", "123.456"],
    ["1e-4", "0.0001"],
    ["-12e-5", "-0.00012"],
    ["0.5e1", "5.0"],
  ]) {
    it(`str(${source}) = ${text}`, () => {
      expect(pyStr(new JsonNumber(source!))).toBe(text);
    });
  }

  it("writes lists and dicts as Python does", () => {
    expect(pyStr([new JsonNumber("1"), "it's", null, true, { k: "\n" }])).toBe(`[1, "it's", None, True, {'k': '\\n'}]`);
  });

  it("strips Python's white space only", () => {
    expect(pyStrip("\u001c\u0085 x \u3000")).toBe("x");
    expect(pyStrip("\ufeffx\u200b")).toBe("\ufeffx\u200b");
  });
});
