/* dash-cytoscape hands its own default wheelSensitivity (1) to cytoscape.js, which then warns in the
   console ("You have set a custom wheel sensitivity") although nobody set one. Without that default
   cytoscape.js uses its own wheel speed (the same 1) and stays quiet. Loaded after the component
   libraries (Dash serves assets after them), before the first map is drawn. */
(function () {
    var lib = window.dash_cytoscape;
    if (lib && lib.Cytoscape && lib.Cytoscape.defaultProps) {
        delete lib.Cytoscape.defaultProps.wheelSensitivity;
    }
})();
