// The layers point one way, each importing only its own floor and the floors below it:
// the operations (src/routes) and the document read from them (src/openapi) → the webhooks'
// rules and their Durable Objects (src/webhooks) → the middleware (src/auth, src/http) and the
// customer rules (src/customers) → the database (src/db) and the field types (src/validation).
// test: a file that imports upward fails here with its import named.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { root } from "../../scripts/dev-server";

/** Each place of src/, lowest first; a file may import its own place and the places below it. */
const FLOORS = [
  ["src/validation", "src/crypto"],
  ["src/db"],
  ["src/env.ts"],
  ["src/http"],
  ["src/auth", "src/customers"],
  ["src/webhooks"],
  ["src/routes", "src/client"],
  ["src/openapi", "src/scheduled.ts"],
  ["src/index.ts"],
];
const placeOf = (file: string) => FLOORS.flat().find((place) => file === place || file.startsWith(`${place}/`));
const floorOf = (file: string) => FLOORS.findIndex((places) => places.includes(placeOf(file)!));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
const sources = filesUnder(path.join(root, "src")).map((file) => path.relative(root, file));

/** The source files a file imports (relative imports, resolved as the bundler resolves them). */
const importsOf = (file: string) =>
  [...readFileSync(path.join(root, file), "utf8").matchAll(/^(?:import|export)\b[^;]*? from "(\.[^"]+)";$/gm)].map(([, from]) => {
    const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), from!.replace(/\.js$/, "")));
    return [`${target}.ts`, `${target}.d.ts`, `${target}/index.ts`].find((candidate) => sources.includes(candidate)) ?? target;
  });

it("every source file has a floor", () => {
  expect(sources.filter((file) => placeOf(file) === undefined)).toEqual([]);
});

it("no file imports from a floor above its own, nor from another place of its floor", () => {
  const upward = sources.flatMap((file) =>
    importsOf(file)
      .filter((target) => floorOf(target) > floorOf(file) || (floorOf(target) === floorOf(file) && placeOf(target) !== placeOf(file)))
      .map((target) => `${file} imports ${target}`),
  );
  expect(upward).toEqual([]);
});

it("the database layer and the field types import nothing outside themselves", () => {
  const outside = sources
    .filter((file) => ["src/db", "src/validation"].includes(placeOf(file)!))
    .flatMap((file) =>
      importsOf(file)
        .filter((target) => placeOf(target) !== placeOf(file))
        .map((target) => `${file} imports ${target}`),
    );
  expect(outside).toEqual([]);
});

it("the customer rules do not reach into the database's driver: they call src/db, never D1", () => {
  const direct = sources
    .filter((file) => file.startsWith("src/customers/"))
    .filter((file) => /from "drizzle-orm(\/[^"]*)?"/.test(readFileSync(path.join(root, file), "utf8")));
  expect(direct).toEqual([]);
});
