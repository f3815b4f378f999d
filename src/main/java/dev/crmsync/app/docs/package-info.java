/**
 * The dataflow document: the "Webcrm to Customcrm Dataflow" QA checklist written out from the running
 * configuration, so the document people check against is the mapping crmsync actually uses, never a copy that
 * drifts from it.
 *
 * <p>{@link dev.crmsync.app.docs.DataflowDocument} builds a {@link dev.crmsync.app.docs.Document}, a small tree
 * of values (sections, paragraphs, tables) that knows nothing of any markup; each
 * {@link dev.crmsync.app.docs.DocumentFormat} renders that tree as Markdown, reStructuredText or a standalone
 * HTML page. Keeping content and markup apart means the three outputs cannot say different things.
 */
package dev.crmsync.app.docs;
