package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.OpenAiError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Multipart uploads fail before any controller is chosen, so these errors reach only global advice; this one
 * comes first and turns them into OpenAI-shaped errors instead of the catch-all 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UploadLimitAdvice {

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<OpenAiError> tooLarge(MaxUploadSizeExceededException e) {
        return respond(new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "invalid_request_error",
                "file_too_large", "file", "The upload is larger than allowed (spring.servlet.multipart.max-file-size"
                        + " and max-request-size; consilium.api.max-body-size).", null));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<OpenAiError> malformed(MultipartException e) {
        return respond(ApiException.invalidRequest("file", "The multipart upload could not be read."));
    }

    private static ResponseEntity<OpenAiError> respond(ApiException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.toError());
    }
}
