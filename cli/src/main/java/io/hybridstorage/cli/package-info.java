/**
 * The operator's command line (issue 16): {@link io.hybridstorage.cli.HybridStorageCli}, picocli
 * commands over the world the SDK's configuration file describes.
 *
 * <p>Each run loads the options ({@code --config FILE}, else {@code HYBRID_STORAGE_CONFIG}, else
 * the embedded in-memory world), opens the store as {@code HybridStorage.openStore} assembles it
 * (keeping the router it holds), runs one command and closes it. Object commands ({@code ls},
 * {@code stat}, {@code cat}, {@code cp}, {@code rm}, {@code mb}) go through the hybrid {@code
 * Storage}, as a job's calls do; operator commands use the router: {@code status} (sites,
 * breakers, journal per site), {@code verify}/{@code repair}, {@code replay}, and {@code sites}
 * (one {@code head} per site's store). Reports are text or, with {@code --json}, one Jackson
 * document; progress bars (me.tongfei:progressbar) only on a terminal. Exit codes: {@link
 * io.hybridstorage.cli.Exits}.
 */
package io.hybridstorage.cli;
