/** vfs (issue 16). */
package io.hybridstorage.vfs;
