/** observability (issue 16). */
package io.hybridstorage.observability;
