package io.consilium.router.ui;

/** A UI page or fragment about something that does not exist (any more). */
final class PageNotFoundException extends RuntimeException {

    PageNotFoundException(String message) {
        super(message);
    }
}
