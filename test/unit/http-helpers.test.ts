// Pure helpers of the HTTP layer: If-Match parsing and DRF's pagination links.
import { describe, expect, it } from "vitest";
import { matchesIfNoneMatch, parseIfMatch } from "../../src/http/etag";
import { paginated } from "../../src/http/pagination";

describe("parseIfMatch", () => {
  for (const [header, parsed] of [
    [undefined, undefined],
    ["*", "*"],
    [' "3" ', [3]],
    ['"3", W/"4", "x", "05", "6"', [3, 6]],
    ['"a,b"', []],
    [', "7" ,', [7]],
    ["3", "malformed"],
    ['"3" "4"', "malformed"],
    ['"3", *', "malformed"],
    [Array.from({ length: 33 }, (_, i) => `"${i + 1}"`).join(","), "too_many"],
  ] as const) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(parsed)}`, () => {
      expect(parseIfMatch(header)).toEqual(parsed);
    });
  }

  it("If-None-Match compares weakly", () => {
    expect(matchesIfNoneMatch('W/"3"', 3)).toBe(true);
    expect(matchesIfNoneMatch('"4", "5"', 3)).toBe(false);
  });
});

describe("paginated", () => {
  const url = "http://api.test/api/v2/customers/?status=1&limit=2&offset=4";
  it("links the next and previous pages, keeping the other parameters", () => {
    expect(paginated(url, { limit: 2, offset: 4 }, 9, [])).toEqual({
      count: 9,
      next: "http://api.test/api/v2/customers/?status=1&limit=2&offset=6",
      previous: "http://api.test/api/v2/customers/?status=1&limit=2&offset=2",
      results: [],
    });
  });

  it("drops offset for a previous page that starts at 0, and has no next page at the end", () => {
    const page = paginated(url, { limit: 2, offset: 2 }, 4, []);
    expect(page.previous).toBe("http://api.test/api/v2/customers/?status=1&limit=2");
    expect(page.next).toBeNull();
  });
});
