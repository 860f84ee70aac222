package loanapproval

// WireCheckResponse exposes the strict check of JSON kinds.
var WireCheckResponse = wireCheckResponse
