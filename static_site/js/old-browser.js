/* Loaded only by browsers without ES modules (<script nomodule>): the page's modules will not run,
 * so say so. A file, not an inline script: the site's Content-Security-Policy refuses inline code. */
document.getElementById("old-browser").hidden = false;
