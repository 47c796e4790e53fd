// obscore entry point: everything happens in app::run.
#include "app.hpp"

int main(int argc, char** argv) { return obscore::app::run(argc, argv); }
