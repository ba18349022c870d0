/** cli (issue 16). */
package io.hybridstorage.cli;
