// Swagger UI on this deployment's own OpenAPI document, with nothing fetched from elsewhere.
window.SwaggerUIBundle({
  url: "/api/v2/openapi.json",
  dom_id: "#api",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  persistAuthorization: false,
  defaultModelsExpandDepth: 0,
});
