/*
 * Numbers in the grids in the reader's language: decimal comma and a space between
 * thousands in Swedish, a true minus sign in both languages, as the cards and the report
 * write them (analyser.i18n.number). Column definitions call these by name from their
 * valueFormatter (dashboard/components.py, column_defs).
 */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* `value` in `locale` ("sv-SE", "en-GB") with Intl.NumberFormat `options`; a dash when missing. */
dagfuncs.formatNumber = function (value, locale, options) {
    if (value === null || value === undefined || typeof value !== "number" || isNaN(value)) {
        return "\u2013";
    }
    var text = new Intl.NumberFormat(locale, Object.assign({ useGrouping: true }, options || {})).format(value);
    return text.replace(/-/g, "\u2212");
};

/* A z-score: two decimals, one from 10 up (−96.2), where more would only be noise. */
dagfuncs.formatScore = function (value, locale) {
    var digits = typeof value === "number" && Math.abs(value) >= 10 ? 1 : 2;
    return dagfuncs.formatNumber(value, locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
