/* Drover's lab guest: a 512-byte boot sector that proves a running VM moved.
 *
 * It enters 32-bit protected mode, programs the PIT to 100 Hz and the PIC to deliver IRQ0 at
 * vector 0x20, writes FILL_MB MiB of non-zero data above 1 MiB (so memory is worth copying),
 * and then, every PERIOD timer ticks, rewrites one word in each page of a DIRTY_MB MiB window
 * (a bounded working set that live migration must keep re-sending) and prints
 * "tick XXXXXXXX" (a hexadecimal counter kept in a vCPU register) to COM1.
 * After a migration the destination's serial log must continue with exactly the next tick. */
        .set IDT_BASE, 0x1000
        .set TICKS, 0x0600
        .set COM1, 0x3f8
        .code16
        .intel_syntax noprefix
        .globl _start
_start:
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7c00
        in      al, 0x92                /* fast A20 */
        or      al, 2
        out     0x92, al
        lgdt    [gdtr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        .byte   0x66, 0xea              /* far jump to 32-bit code */
        .long   protected
        .word   0x08

        .code32
protected:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     esp, 0x7c00
        /* PIC: master at 0x20, slave at 0x28, only IRQ0 unmasked */
        mov     al, 0x11
        out     0x20, al
        out     0xa0, al
        mov     al, 0x20
        out     0x21, al
        mov     al, 0x28
        out     0xa1, al
        mov     al, 4
        out     0x21, al
        mov     al, 2
        out     0xa1, al
        mov     al, 1
        out     0x21, al
        out     0xa1, al
        mov     al, 0xfe
        out     0x21, al
        mov     al, 0xff
        out     0xa1, al
        /* PIT channel 0, rate generator, 1193182 / 11932 = 100 Hz */
        mov     al, 0x34
        out     0x43, al
        mov     al, 0x9c
        out     0x40, al
        mov     al, 0x2e
        out     0x40, al
        /* IDT: 48 gates, all to 'ignore' except the timer */
        mov     edi, IDT_BASE
        mov     ecx, 48
gate:   mov     eax, offset ignore
        cmp     ecx, 48 - 0x20
        jne     1f
        mov     eax, offset timer
1:      mov     word ptr [edi], ax
        mov     dword ptr [edi + 2], 0x8e000008
        mov     word ptr [edi + 6], 0
        add     edi, 8
        loop    gate
        lidt    [idtr]
        mov     dword ptr [TICKS], 0
        mov     esi, offset banner
        call    puts
        mov     edi, 0x100000
fill:   mov     [edi], edi
        add     edi, 4
        cmp     edi, 0x100000 + FILL_MB * 0x100000
        jb      fill
        xor     ebx, ebx                /* the counter */
        sti
forever:
        inc     ebx
        mov     edi, 0x100000
dirty:  mov     [edi], ebx
        add     edi, 4096
        cmp     edi, 0x100000 + DIRTY_MB * 0x100000
        jb      dirty
        mov     esi, offset tickword
        call    puts
        mov     edx, ebx
        mov     ecx, 8
hex:    rol     edx, 4
        mov     al, dl
        and     al, 0x0f
        add     al, '0'
        cmp     al, '9'
        jbe     2f
        add     al, 'a' - '0' - 10
2:      call    putc
        loop    hex
        mov     esi, offset newline
        call    puts
        mov     ecx, [TICKS]
        add     ecx, PERIOD
sleep:  hlt
        cmp     [TICKS], ecx
        jb      sleep
        jmp     forever

puts:   lodsb
        test    al, al
        jz      3f
        call    putc
        jmp     puts
3:      ret
putc:   push    edx
        mov     dx, COM1
        out     dx, al
        pop     edx
        ret

timer:  push    eax
        inc     dword ptr [TICKS]
        mov     al, 0x20
        out     0x20, al
        pop     eax
ignore: iret

banner:   .asciz "drover lab guest\r\n"
tickword: .asciz "tick "
newline:  .asciz "\r\n"
        .balign 8
gdt:    .quad   0
        .quad   0x00cf9a000000ffff      /* code, flat 4 GiB */
        .quad   0x00cf92000000ffff      /* data, flat 4 GiB */
gdtr:   .word   23
        .long   gdt
idtr:   .word   48 * 8 - 1
        .long   IDT_BASE
        .org    510
        .byte   0x55, 0xaa
