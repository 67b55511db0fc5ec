;; The random stream's uniforms (rng.ts) in WebAssembly: Philox4x32-10
;; blocks, each turned into two doubles in (0, 1), a batch at a time. Its
;; 32×32 → 64-bit products are one i64.mul each, where JavaScript needs a
;; float product and a correction (about 4× the time). scripts/buildWasm.ts
;; assembles this file into kernels.ts; test/random/rng.test.ts checks that
;; these uniforms are the JavaScript ones, bit for bit.
(module
  (memory (export "memory") 1)

  ;; Writes 2·n doubles at byte offset $out: the uniforms of blocks
  ;; counter, counter + 1, …, counter + n − 1 (counter = ctrHi·2³² + ctrLo)
  ;; of stream (streamHi·2³² + streamLo) under key (key0, key1). A block's
  ;; words w0…w3 give ((w0 >> 5)·2²⁶ + (w1 >> 6) + ½)/2⁵³ and the same of
  ;; (w2, w3), in rng.ts's order of roundings; 1 becomes the largest double
  ;; below 1. Two blocks go through the rounds side by side (one block's
  ;; rounds are a chain of dependent multiplies; two chains overlap), so an
  ;; odd n writes one block more.
  (func (export "uniforms")
    (param $out i32) (param $n i32) (param $ctrLo i32) (param $ctrHi i32)
    (param $streamLo i32) (param $streamHi i32) (param $key0 i32) (param $key1 i32)
    (local $ctr i64) (local $b i32) (local $r i32) (local $k0 i32) (local $k1 i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $pa0 i64) (local $pa1 i64)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $pc0 i64) (local $pc1 i64)
    (local.set $ctr (i64.or (i64.extend_i32_u (local.get $ctrLo)) (i64.shl (i64.extend_i32_u (local.get $ctrHi)) (i64.const 32))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $b) (local.get $n)))
        (local.set $a0 (i32.wrap_i64 (local.get $ctr)))
        (local.set $a1 (i32.wrap_i64 (i64.shr_u (local.get $ctr) (i64.const 32))))
        (local.set $c0 (i32.wrap_i64 (i64.add (local.get $ctr) (i64.const 1))))
        (local.set $c1 (i32.wrap_i64 (i64.shr_u (i64.add (local.get $ctr) (i64.const 1)) (i64.const 32))))
        (local.set $a2 (local.get $streamLo))
        (local.set $a3 (local.get $streamHi))
        (local.set $c2 (local.get $streamLo))
        (local.set $c3 (local.get $streamHi))
        (local.set $k0 (local.get $key0))
        (local.set $k1 (local.get $key1))
        (local.set $r (i32.const 0))
        (loop $rounds
          (local.set $pa0 (i64.mul (i64.const 0xd2511f53) (i64.extend_i32_u (local.get $a0))))
          (local.set $pa1 (i64.mul (i64.const 0xcd9e8d57) (i64.extend_i32_u (local.get $a2))))
          (local.set $pc0 (i64.mul (i64.const 0xd2511f53) (i64.extend_i32_u (local.get $c0))))
          (local.set $pc1 (i64.mul (i64.const 0xcd9e8d57) (i64.extend_i32_u (local.get $c2))))
          (local.set $a0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $pa1) (i64.const 32))) (local.get $a1)) (local.get $k0)))
          (local.set $a1 (i32.wrap_i64 (local.get $pa1)))
          (local.set $a2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $pa0) (i64.const 32))) (local.get $a3)) (local.get $k1)))
          (local.set $a3 (i32.wrap_i64 (local.get $pa0)))
          (local.set $c0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $pc1) (i64.const 32))) (local.get $c1)) (local.get $k0)))
          (local.set $c1 (i32.wrap_i64 (local.get $pc1)))
          (local.set $c2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $pc0) (i64.const 32))) (local.get $c3)) (local.get $k1)))
          (local.set $c3 (i32.wrap_i64 (local.get $pc0)))
          (local.set $k0 (i32.add (local.get $k0) (i32.const 0x9e3779b9)))
          (local.set $k1 (i32.add (local.get $k1) (i32.const 0xbb67ae85)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rounds (i32.lt_u (local.get $r) (i32.const 10))))
        (f64.store (local.get $out) (call $uniform (local.get $a0) (local.get $a1)))
        (f64.store offset=8 (local.get $out) (call $uniform (local.get $a2) (local.get $a3)))
        (f64.store offset=16 (local.get $out) (call $uniform (local.get $c0) (local.get $c1)))
        (f64.store offset=24 (local.get $out) (call $uniform (local.get $c2) (local.get $c3)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $ctr (i64.add (local.get $ctr) (i64.const 2)))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br $pairs))))

  ;; The double of two words: 27 bits of the first, 26 of the second.
  (func $uniform (param $hi i32) (param $lo i32) (result f64)
    (local $u f64)
    (local.set $u (f64.div
      (f64.add
        (f64.add
          (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $hi) (i32.const 5))) (f64.const 67108864))
          (f64.convert_i32_u (i32.shr_u (local.get $lo) (i32.const 6))))
        (f64.const 0.5))
      (f64.const 9007199254740992)))
    (select (local.get $u) (f64.const 0x1.fffffffffffffp-1) (f64.lt (local.get $u) (f64.const 1)))))
