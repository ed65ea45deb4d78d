// The services' shared pieces (see app.h); each concern's services live in their own files beside this one.
#include "app/app.h"
