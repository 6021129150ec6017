#include <stdio.h>
#include "wcr/common.h"
int main(void) { printf("wcr version %s\n", wcr_version()); return 0; }
