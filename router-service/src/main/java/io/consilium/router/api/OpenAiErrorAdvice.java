package io.consilium.router.api;

import io.consilium.aggregator.NoAnswerException;
import io.consilium.aggregator.NoValidAnswerException;
import io.consilium.profiler.TaxonomyException;
import io.consilium.registry.ExpertAlreadyExistsException;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertNotFoundException;
import io.consilium.registry.InvalidExpertException;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.routing.RoutingException;
import io.consilium.router.state.StateUnavailableException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure of a request into an OpenAI-shaped error with the right status. */
@RestControllerAdvice
class OpenAiErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrorAdvice.class);

    private static final Duration STATE_RETRY_AFTER = Duration.ofSeconds(1);

    private final ConsiliumProperties properties;

    OpenAiErrorAdvice(ConsiliumProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<OpenAiError> api(ApiException e) {
        return respond(e);
    }

    @ExceptionHandler(ExpertException.class)
    ResponseEntity<OpenAiError> expert(ExpertException e) {
        return respond(ExpertFailures.toApiException(e, properties.resilience().openStateWait()));
    }

    @ExceptionHandler(RoutingException.class)
    ResponseEntity<OpenAiError> routing(RoutingException e) {
        return respond(RoutingFailures.toApiException(e));
    }

    @ExceptionHandler(NoAnswerException.class)
    ResponseEntity<OpenAiError> noAnswer(NoAnswerException e) {
        return respond(ExpertFailures.toApiException(e));
    }

    @ExceptionHandler(NoValidAnswerException.class)
    ResponseEntity<OpenAiError> noValidAnswer(NoValidAnswerException e) {
        return respond(ExpertFailures.toApiException(e));
    }

    @ExceptionHandler(InvalidExpertException.class)
    ResponseEntity<OpenAiError> invalidExpert(InvalidExpertException e) {
        return respond(ApiException.invalidRequest(e.field().replace('-', '_'), e.getMessage()));
    }

    @ExceptionHandler(ExpertNotFoundException.class)
    ResponseEntity<OpenAiError> expertNotFound(ExpertNotFoundException e) {
        return respond(ApiException.notFound("expert_not_found", e.getMessage()));
    }

    @ExceptionHandler(ExpertAlreadyExistsException.class)
    ResponseEntity<OpenAiError> expertExists(ExpertAlreadyExistsException e) {
        return respond(new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "expert_exists", "id",
                e.getMessage(), null));
    }

    @ExceptionHandler(TaxonomyException.class)
    ResponseEntity<OpenAiError> taxonomy(TaxonomyException e) {
        return respond(switch (e.kind()) {
            case INVALID -> ApiException.invalidRequest(e.field(), e.getMessage());
            case NOT_FOUND -> ApiException.notFound("skill_not_found", e.getMessage());
            case CONFLICT -> new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "taxonomy_conflict", null,
                    e.getMessage(), null);
        });
    }

    /** Shared state is down: reads from local copies still work, this request needed Redis; a retry can help. */
    @ExceptionHandler(StateUnavailableException.class)
    ResponseEntity<OpenAiError> stateUnavailable(StateUnavailableException e) {
        return respond(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", "state_unavailable",
                null, "Shared state (Redis) is unreachable, so the request could not be completed. Retry in a moment.",
                STATE_RETRY_AFTER));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<OpenAiError> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException tooLarge) {
                return respond(ApiException.payloadTooLarge(tooLarge.limit()));
            }
        }
        return respond(ApiException.invalidRequest(null,
                "The request body is not valid JSON. Send a JSON object with content-type application/json."));
    }

    /** A value of the wrong kind read from a JSON body (a number beyond range, say) that no check caught first. */
    @ExceptionHandler(tools.jackson.databind.exc.JsonNodeException.class)
    ResponseEntity<OpenAiError> unreadableValue(tools.jackson.databind.exc.JsonNodeException e) {
        log.debug("A request value could not be read", e);
        return respond(ApiException.invalidRequest(null,
                "A value in the request body has the wrong type or is out of range."));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<OpenAiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request_error",
                "unsupported_media_type", null, "Send the body as application/json.", null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<OpenAiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(new ApiException(HttpStatus.NOT_ACCEPTABLE, "invalid_request_error", "not_acceptable", null,
                "This endpoint answers with application/json.", null));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<OpenAiError> method(HttpRequestMethodNotSupportedException e) {
        return respond(new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "invalid_request_error", "method_not_allowed",
                null, "Method " + e.getMethod() + " is not allowed here.", null));
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<OpenAiError> badParameter(Exception e) {
        return respond(ApiException.invalidRequest(null, "A request parameter is missing or malformed."));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<OpenAiError> noResource(NoResourceFoundException e) {
        return respond(ApiException.notFound("not_found", "No such endpoint: /" + e.getResourcePath()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<OpenAiError> unexpected(Exception e) {
        // Logged here with its stack; the client only learns that it was our fault.
        log.error("Unexpected failure handling a request", e);
        return respond(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", "internal_error", null,
                "The server failed to handle the request.", null));
    }

    static ResponseEntity<OpenAiError> respond(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
        }
        return response.body(e.toError());
    }
}
