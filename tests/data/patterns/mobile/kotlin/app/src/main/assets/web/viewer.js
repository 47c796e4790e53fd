function get(){fetch("/vendored/call",{method:"POST"})}
