/** {@code POST /v1/embeddings}: embedding experts called by id, or chosen by the domains of the inputs. */
@NullMarked
package io.consilium.router.embeddings;

import org.jspecify.annotations.NullMarked;
