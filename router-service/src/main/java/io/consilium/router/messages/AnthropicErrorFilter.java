package io.consilium.router.messages;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Answers every refusal of {@code /v1/messages} in Anthropic's error shape, whoever refused it: security (a
 * missing or wrong key, a key without the model's grant), the body and content-type guards, rate limits, the
 * controller advice. It wraps the response before all of them, so each keeps writing its one error shape and
 * the body of an error status is rewritten here; a successful answer passes through untouched.
 */
final class AnthropicErrorFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    AnthropicErrorFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ErrorRewriting rewriting = new ErrorRewriting(response);
        try {
            chain.doFilter(request, rewriting);
        } finally {
            rewriting.rewrite();
        }
    }

    /** Holds back the body of an error status until the request is done, then writes it in Anthropic's shape. */
    private final class ErrorRewriting extends HttpServletResponseWrapper {

        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private @Nullable ServletOutputStream holding;
        private @Nullable PrintWriter writer;
        private @Nullable String sentMessage;
        private boolean errorSent;

        ErrorRewriting(HttpServletResponse response) {
            super(response);
        }

        private boolean isError() {
            return errorSent || getStatus() >= 400;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!isError()) {
                return super.getOutputStream();
            }
            if (holding == null) {
                holding = new ServletOutputStream() {
                    @Override
                    public void write(int b) {
                        held.write(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        held.write(bytes, offset, length);
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        throw new UnsupportedOperationException("error bodies are written blocking");
                    }
                };
            }
            return holding;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!isError()) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new java.io.OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public void setContentLength(int length) {
            if (!isError()) {
                super.setContentLength(length);
            }
        }

        @Override
        public void setContentLengthLong(long length) {
            if (!isError()) {
                super.setContentLengthLong(length);
            }
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!isError()) {
                super.flushBuffer();
            }
        }

        /** A container error (one no handler wrote) is answered here too, instead of by the error page. */
        @Override
        public void sendError(int status, String message) {
            setStatus(status);
            errorSent = true;
            sentMessage = message;
        }

        @Override
        public void sendError(int status) {
            sendError(status, null);
        }

        void rewrite() throws IOException {
            if (!isError() || getResponse().isCommitted()) {
                return;
            }
            if (writer != null) {
                writer.flush();
            }
            int status = getStatus();
            JsonNode written = parse(held.toByteArray());
            String message = sentMessage;
            if (message == null || message.isBlank()) {
                HttpStatus known = HttpStatus.resolve(status);
                message = known == null ? "Error " + status : known.getReasonPhrase();
            }
            JsonNode body = written.path("error").isObject()
                    ? AnthropicErrors.fromOpenAi(written, status)
                    : AnthropicErrors.body(AnthropicErrors.typeOf(status), message);
            byte[] bytes = json.writeValueAsBytes(body);
            HttpServletResponse response = (HttpServletResponse) getResponse();
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            response.flushBuffer();
        }

        private JsonNode parse(byte[] bytes) {
            if (bytes.length == 0) {
                return MissingNode.getInstance();
            }
            try {
                return json.readTree(bytes);
            } catch (JacksonException notJson) {
                return MissingNode.getInstance();
            }
        }
    }
}
