/**
 * The answer cache: answers to chat requests kept by their exact question and by its meaning, within a
 * partition of everything else that changes an answer, in this process (Caffeine) or in Redis.
 */
@NullMarked
package io.consilium.router.cache;

import org.jspecify.annotations.NullMarked;
