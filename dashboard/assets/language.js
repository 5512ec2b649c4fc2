/*
 * The reader's language (dashboard/app.py): the language store (App.LANG) is kept in the
 * browser's local storage, so a reload keeps the language; on a first visit nothing is
 * stored yet and the browser's preferred language is taken when the tool speaks it.
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    language: {
        /* Stored or preferred language -> the language picker (no update when it already shows it). */
        initial: function (_stamp, stored, shown, options) {
            var known = (options || []).map(function (o) { return o.value; });
            var lang = stored;
            if (known.indexOf(lang) < 0) {
                var preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
                lang = "en";
                for (var i = 0; i < preferred.length; i++) {
                    var code = String(preferred[i] || "").slice(0, 2).toLowerCase();
                    if (known.indexOf(code) >= 0) {
                        lang = code;
                        break;
                    }
                }
            }
            document.documentElement.lang = lang;
            return lang === shown ? window.dash_clientside.no_update : lang;
        },
    },
});
