/** The models listing. */
@NullMarked
package io.consilium.router.models;

import org.jspecify.annotations.NullMarked;
