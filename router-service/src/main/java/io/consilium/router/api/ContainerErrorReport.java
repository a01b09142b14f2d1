package io.consilium.router.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on a request it refused by itself, written as an OpenAI error: never an HTML page,
 * never the server's version or its message (which may quote the refused path).
 */
final class ContainerErrorReport extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Puts this valve in place of every error report valve of the pipeline (the host's). */
    static void install(Pipeline pipeline) {
        for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ContainerErrorReport)) {
                pipeline.removeValve(valve);
            }
        }
        for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ContainerErrorReport) {
                return;
            }
        }
        pipeline.addValve(new ContainerErrorReport());
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code) == null ? HttpStatus.BAD_REQUEST : HttpStatus.valueOf(code);
        ApiException error = new ApiException(status, status.is5xxServerError() ? "server_error" : "invalid_request_error",
                code == 400 ? "invalid_path" : null, null, message(status), null);
        try {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(error.toError()));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // The client is gone or the response was taken over; there is no one left to tell.
        }
    }

    private static String message(HttpStatus status) {
        return status == HttpStatus.BAD_REQUEST
                ? "The request could not be read: its path has a malformed percent-encoding, an encoded slash or a "
                        + "control character, or its headers are malformed."
                : status.getReasonPhrase();
    }
}
