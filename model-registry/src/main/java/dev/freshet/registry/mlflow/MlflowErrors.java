package dev.freshet.registry.mlflow;

import dev.freshet.registry.http.ApiException;
import dev.freshet.registry.http.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors as MLflow's clients read them: {@code {"error_code": "...", "message": "..."}} with the
 * same status the native API gives. The message names the field at fault, if one is.
 */
final class MlflowErrors {

    private MlflowErrors() {}

    static Response response(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code(e.status()));
        body.put("message", e.getMessage());
        return Response.json(e.status(), body);
    }

    /** MLflow's error code (databricks.proto ErrorCode) for a status. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "INVALID_PARAMETER_VALUE";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "RESOURCE_DOES_NOT_EXIST";
            case 409 -> "RESOURCE_CONFLICT";
            case 503 -> "TEMPORARILY_UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    }
}
