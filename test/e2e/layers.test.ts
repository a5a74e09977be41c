// The layers point one way: routes and middleware → customer rules → database. The database layer
// (src/db) and the field types (src/validation) import nothing of the layers above them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { root } from "../../scripts/dev-server";

const importsOf = (folder: string) =>
  readdirSync(path.join(root, "src", folder)).flatMap((file) =>
    [...readFileSync(path.join(root, "src", folder, file), "utf8").matchAll(/^(?:import|export)\b[^;]*? from "([^"]+)";$/gm)].map(
      ([, from]) => ({
        file: `src/${folder}/${file}`,
        from: from!,
      }),
    ),
  );

for (const folder of ["db", "validation"]) {
  it(`src/${folder} imports only its own files and packages`, () => {
    const upward = importsOf(folder).filter(({ from }) => from.startsWith("../"));
    expect(upward).toEqual([]);
  });
}

it("the customer rules do not reach into the database's driver: they call src/db, never D1", () => {
  const direct = importsOf("customers").filter(({ from }) => from === "drizzle-orm" || from.startsWith("drizzle-orm/"));
  expect(direct).toEqual([]);
});
