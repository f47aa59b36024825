/**
 * Hitachi VSP One Object's error bodies, `{code, message, details}`, and its Keycloak's OAuth
 * `{error, error_description}`; the request id is `X-Request-Id`.
 */
import { type ErrorFormat, parseErrorBody, record, text } from "@bucketry/core/internal";

export const VSP_ONE_OBJECT_ERRORS: ErrorFormat = {
  requestId: "x-request-id",
  parse: (body) =>
    parseErrorBody(body, (json) => {
      const { code, message, details, error, error_description } = record(json);
      const said = text(message);
      const more = text(details);
      return {
        code: text(code) ?? text(error),
        message: (said && more ? `${said} (${more})` : (said ?? more)) ?? text(error_description),
      };
    }),
};
