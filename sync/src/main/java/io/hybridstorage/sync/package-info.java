/** sync (issue 15). */
package io.hybridstorage.sync;
