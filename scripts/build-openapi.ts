// Prints the OpenAPI document, generated from the zod schemas that validate requests; `npm run
// build:assets` writes it to public/api/v2/openapi.json, which the Worker serves. Built here rather
// than in the Worker, whose bundle would carry zod's JSON Schema generator for one static document.
import { openApiDocument } from "../src/openapi/document";

console.log(JSON.stringify(openApiDocument()));
