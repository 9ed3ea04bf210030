-- Sends the access token the bench host issued at start-up (JwtVariants.cs writes it to $TMPDIR/authkit-bench-jwt.token).
local dir = os.getenv("TMPDIR") or "/tmp"
local f = assert(io.open(dir .. "/authkit-bench-jwt.token", "r"), "start the bench host first: it writes the token file")
local token = f:read("*l")
f:close()
wrk.headers["Authorization"] = "Bearer " .. token
