-- Sends the Basic credentials of the bench host's one user (BasicVariants.cs): bench-user / correct horse battery staple.
wrk.headers["Authorization"] = "Basic YmVuY2gtdXNlcjpjb3JyZWN0IGhvcnNlIGJhdHRlcnkgc3RhcGxl"
