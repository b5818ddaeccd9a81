// Swap the server's answer for invalid input (422) and refused actions (409, 403) into the page as well: these
// responses carry the form with its Chinese error messages, or the refusal, and must be shown, not dropped. So do
// 503s (a full upload disk, a database restarting): they say in Chinese that nothing changed and to retry.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 422 || status === 409 || status === 403 || status === 503) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
