/**
 * The admin UI at {@code /admin}: server-rendered pages (Thymeleaf), partial updates with htmx, and small
 * scripts that call the same JSON APIs as every other client, with the browser's admin session.
 */
@NullMarked
package io.consilium.router.ui;

import org.jspecify.annotations.NullMarked;
