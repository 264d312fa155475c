// Copy-link controls are plain links to a permalink; with JavaScript a click copies the URL.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-copy]") : null;
  if (!link || !navigator.clipboard || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    var status = document.getElementById("copy-status");
    if (status) status.textContent = "Link copied: " + link.href;
    link.classList.add("copied");
    setTimeout(function () { link.classList.remove("copied"); }, 2000);
  }, function () { window.location.href = link.href; });
});
