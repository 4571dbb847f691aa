/** `atomenv --help`. */
export const MAIN_HELP = `atomenv: atomic-environment descriptors for machine-learning interatomic potentials

Usage:
  atomenv compute --config DESC.json [options] STRUCTURE_FILE
  atomenv help [compute]
  atomenv --help | -h
  atomenv --version | -v

Commands:
  compute   compute a descriptor (ACSF) for every frame of a structure file and
            write the values, optionally with derivatives, as JSON or .npy

Run 'atomenv compute --help' for the flags, the config format and the output
formats. Exit codes: 0 success, 1 bad input or a failed frame, 2 bad usage.
Set ATOMENV_DEBUG=1 to see stack traces of internal errors.
`;

/** `atomenv compute --help`. */
export const COMPUTE_HELP = `Usage: atomenv compute --config DESC.json [options] STRUCTURE_FILE

Computes a descriptor for every frame of STRUCTURE_FILE (extxyz, xyz, POSCAR or
n2p2 input.data; detected from the name and content). Multi-frame files are read
frame by frame; on a terminal, progress is shown on stderr.

Options:
  -c, --config FILE       descriptor settings (JSON, see below); required
      --centers JSON      atom indices of the centres, e.g. '[0,3,5]', used for
                          every frame (default: every atom, in order)
  -d, --derivatives       also write the derivatives of the values with respect
                          to every atom position: [centres, atoms, 3, features]
      --attach            with --derivatives: each centre moves with its atom
                          (DScribe's attach=True; what forces need)
  -f, --format FMT        json or npy (default: npy when -o ends in .npy,
                          otherwise json)
      --input-format FMT  extxyz, xyz, poscar or n2p2, when detection is wrong
  -o, --output FILE       where to write; '-' for JSON on stdout. Without -o,
                          JSON goes to stdout, except on a terminal, where a
                          summary is printed instead of the data
      --summary           print a summary (frames, atoms, centres, features,
                          value min/max/mean, time, files written) to stdout,
                          or to stderr when the data goes to stdout
  -h, --help              show this help

Config (--config): a JSON object naming the descriptor, with the options of its
constructor in the library API (camelCase). Descriptors: acsf. Example:
  {
    "descriptor": "acsf",
    "species": ["H", "O"],
    "rCut": 6,
    "periodic": true,
    "g2Params": [[0.003214, 0], [0.035711, 0], [0.071421, 0]],
    "g4Params": [[0.000357, 1, -1], [0.028569, 1, 1]]
  }
acsf options: species (symbols or atomic numbers), rCut (Å, > 0), g2Params
([η, R_s] rows), g3Params ([κ, ...]), g4Params and g5Params ([η, ζ, λ] rows),
periodic (default false). Unknown keys are errors.

Output, one frame (C-order flat values):
  json  {"shape": [centres, features], "values": [...],
         "derivatives": {"shape": [centres, atoms, 3, features], "values": [...]}}
        ("derivatives" only with --derivatives)
  npy   OUT.npy              values [centres, features], float64
        OUT.derivatives.npy  derivatives [centres, atoms, 3, features]
  (OUT is the -o path without its .npy ending.)

Output, several frames: the values of all frames are concatenated; frame k owns
rows frame_offsets[k] to frame_offsets[k+1] (centres = atoms unless --centers).
  json  {"frames": N, "shape": [total centres, features], "values": [...],
         "frame_offsets": [0, n0, n0+n1, ..., total],
         "failed": [{"frame": k, "stage": "read"|"compute", "code": "...",
                     "message": "..."}, ...],
         "derivatives": [{"shape": [nk, atoms_k, 3, features], "values": [...]}
                         or null for a failed frame, one per frame]}
  npy   OUT.npy                  values [total centres, features], float64
        OUT.frame_offsets.npy    int32 [N + 1]
        OUT.failed.npy           int32 indices of the failed frames (may be empty)
        OUT.derivatives.K.npy    derivatives of frame K, one file per frame that
                                 succeeded (with --derivatives)
npy cannot be written to stdout.

Failed frames: a frame the descriptor rejects (e.g. an element not in species,
overlapping atoms) is reported on stderr, owns no rows (equal offsets), is listed
in "failed", and the run continues. A frame that cannot be parsed also ends the
reading: the frames before it are written. The exit code is 1 if any frame
failed. If the first frame cannot be read, or a one-frame input fails, nothing
is written.

Examples:
  atomenv compute -c examples/acsf.json examples/water_64mol.extxyz
  atomenv compute -c examples/acsf.json -d -o acsf.npy examples/water_64mol.extxyz
  atomenv compute -c desc.json --centers '[0,1]' -o - frames.extxyz > out.json
`;
