/**
 * The typed exceptions of gtguard, all under {@link dev.gtguard.exception.GlobalTablesException}:
 * each names the table, the item key and the region, and says whether anything was written.
 */
package dev.gtguard.exception;
