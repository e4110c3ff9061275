//! One test binary, a module per topic.
