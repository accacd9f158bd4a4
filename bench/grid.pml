/* The throughput grid for SPIN: 8 counters mod 8, each step increments one. */
byte c[8];

active proctype grid()
{
	do
	:: c[0] = (c[0] + 1) % 8
	:: c[1] = (c[1] + 1) % 8
	:: c[2] = (c[2] + 1) % 8
	:: c[3] = (c[3] + 1) % 8
	:: c[4] = (c[4] + 1) % 8
	:: c[5] = (c[5] + 1) % 8
	:: c[6] = (c[6] + 1) % 8
	:: c[7] = (c[7] + 1) % 8
	od
}
