/**
 * The {@code crmsync} command line (picocli): one class per subcommand.
 */
package dev.crmsync.app.cli;
