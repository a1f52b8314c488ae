// Starts Swagger UI on the API description. A file, not an inline script: the page's
// Content-Security-Policy allows scripts from this origin only (script-src 'self').
"use strict";

window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The default would send the description to validator.swagger.io (a third party) for a badge.
  validatorUrl: null,
  // BaseLayout needs no standalone preset (its top bar only holds a URL box we do not want).
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
});
