// This module is part of the package's service side (the HTTP server, the PostgreSQL log, the command
// line), whose dependencies are conditional on the package trait `Service` (on by default).
#if !Service
#error("This module needs the package trait \"Service\": add the package without `traits: []`, or with `traits: [\"Service\"]`.")
#endif
