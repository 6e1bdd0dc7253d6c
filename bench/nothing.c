/*
 * nothing: the floor row. A static musl program that returns at once, so the
 * table shows what exec, the dynamic loader's absence and exit cost by
 * themselves, and how close healthy comes to that.
 *
 * Built by bench/run with: musl-gcc -static -Os -s
 */
int main(void)
{
	return 0;
}
