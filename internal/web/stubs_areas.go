package web

// Route lists of areas still being built; each owner moves its function to
// its own file and deletes the line here.
