#!/usr/bin/python3
# Guards installer/dev.sh's package list: fails when the build or the tests use a file from a Debian package that
# a fresh Debian 12 machine would not have after `installer/dev.sh test`.
#
# Why: dev.sh installs with --no-install-recommends, so a package that is only *Recommended* by one we list is
# missing on a fresh machine (Qt6Charts' CMake package needs Qt6OpenGL, whose -dev package qt6-base-dev only
# recommends). CI runs on a machine where packages installed by hand may linger, so a green CI alone can hide a
# missing package.
#
# What it compares:
#   allowed = the packages `installer/dev.sh packages` prints (or the list in --packages FILE), plus every
#             package that is Essential: yes or Priority: required (debootstrap puts those on every Debian
#             install, Docker's debian:12 included), closed over Depends and Pre-Depends only (never Recommends
#             or Suggests), as recorded in dpkg's database of installed packages. dpkg's records are the exact
#             Depends of the versions installed here, and say which alternative of `a | b` and which provider of
#             a virtual package is installed: the first alternative that is installed (itself, or through an
#             installed provider) satisfies the dependency and joins the closure. The toolchain (g++-12,
#             libstdc++-12-dev, libc6-dev, binutils...) is in the closure through g++.
#   used    = system files (under /usr, /lib*, /bin, /sbin, /etc, /opt) that the build and the tests use:
#             the paths in BUILD/CMakeCache.txt (*_DIR, libraries, include directories, tools); the CMake files
#             configure read (build.ninja's RERUN_CMAKE inputs: every Qt6*Config.cmake); the headers in
#             `ninja -t deps`; the absolute paths in the build commands (compiler, rcc, lrelease, link lines) and
#             in AUTOMOC's settings (moc); the shared libraries `ldd` resolves for every executable and shared
#             object in the build tree (ours and llama.cpp's from npm); the commands CTest runs; and the tools
#             the tests and dev.sh run (TOOLS below), with the Python modules check_hdf5_tools.sh imports.
#             Each file, every symlink on its way and its real path are looked up with one batched `dpkg -S`,
#             trying both sides of the merged /usr (/lib/x86_64-linux-gnu vs /usr/lib/x86_64-linux-gnu). A
#             path several packages own (a directory) is satisfied by any of them. Files in the source or build
#             tree, and system files no package owns, are skipped (the latter listed); diverted files are noted.
#             The compiler launcher (CMAKE_<LANG>_COMPILER_LAUNCHER, e.g. ccache) is the developer's choice from
#             the environment, not something the project needs, so it is not counted.
# Every used package outside `allowed` is printed with the files that pulled it in (and which listed package
# only recommends it), and the check exits 1. Without dpkg (not Debian) it exits 77: CTest reports it skipped.
#
# Usage: check_package_closure.py BUILD_DIR [--packages FILE]   (FILE: one package a line, # comments)
#        check_package_closure.py --self-test                  (the closure rules on a made-up dpkg database)
# check_package_closure_fails.sh runs it without libqt6opengl6-dev to show that it fails.
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

SOURCE_DIR = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
SYSTEM_PREFIXES = ('/usr/', '/lib', '/bin/', '/sbin/', '/etc/', '/opt/')
MERGED_USR = ('/lib', '/bin/', '/sbin/')  # /lib/x.so and /usr/lib/x.so are one file; dpkg knows only one name

# Tools run by the tests (and by dev.sh's `test` and `studio` commands), besides what CTest runs directly.
TOOLS = {
    'pdftotext': 'tests/common/test_support.cpp (reads the PDF reports back)',
    'h5dump': 'tests/project/check_hdf5_tools.sh',
    'zstd': 'tests/project/check_hdf5_tools.sh',
    '/usr/bin/python3': 'tests/project/check_hdf5_tools.sh (h5py, numpy) and this check',
    'cpack': 'tests/package/check_package.sh',
    'dpkg-deb': 'tests/package/check_package.sh',
    'dpkg-shlibdeps': "CPack's DEB generator (CPACK_DEBIAN_PACKAGE_SHLIBDEPS)",
    'file': "CPack's DEB generator (it finds the ELF files with it, for CPACK_DEBIAN_PACKAGE_SHLIBDEPS)",
    'readelf': "CPack's DEB generator",
    'tar': 'tests/package/check_package.sh',
    'node': 'tests/shared/tst_runtime_llamacpp.cpp (llama.cpp through node-llama-cpp)',
    'npm': 'installer/dev.sh test installs node-llama-cpp',
    'xvfb-run': 'tests/screenshots/take.sh',
    'Xvfb': 'tests/screenshots/take.sh (through xvfb-run)',
    'xauth': 'tests/screenshots/take.sh (through xvfb-run)',
    'cmake': 'installer/dev.sh build',
    'ctest': 'installer/dev.sh test',
    'ninja': 'installer/dev.sh build, and this check',
    'ldd': 'this check',
}
PYTHON_MODULES = ('h5py', 'numpy')  # imported by tests/project/check_hdf5_tools.sh


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def package_name(field):
    """'libfoo:amd64 (>= 1.2)' -> 'libfoo'"""
    return re.sub(r'\s*\(.*?\)', '', field).strip().split(':')[0]


def parse_relations(text):
    """A Depends field -> list of alternative groups, each a list of package names."""
    return [[package_name(alt) for alt in group.split('|') if alt.strip()]
            for group in text.split(',') if group.strip()]


class Dpkg:
    """dpkg's database of what is installed here (or `records` in dpkg-query's FIELDS format, for --self-test)."""
    FIELDS = '${Package}\t${db:Status-Abbrev}\t${Essential}\t${Priority}\t${Provides}\t${Pre-Depends}\t${Depends}\t${Recommends}\n'

    def __init__(self, records=None):
        if records is None:
            out = run(['dpkg-query', '-W', '-f=' + self.FIELDS])
            if out.returncode != 0 or not out.stdout.strip():
                sys.exit('FAILED: dpkg-query -W listed no packages: ' + out.stderr.strip())
            records = out.stdout
        self.installed = set()
        self.base = set()  # Essential: yes or Priority: required
        self.depends = defaultdict(list)
        self.recommends = defaultdict(set)
        self.providers = defaultdict(set)
        for line in records.splitlines():
            name, status, essential, priority, provides, predepends, depends, recommends = line.split('\t')
            # files on disk: installed, unpacked, half-configured, awaiting or pending triggers
            if len(status) < 2 or status[1] not in 'iUFWtH':
                continue
            self.installed.add(name)
            if essential == 'yes' or priority == 'required':
                self.base.add(name)
            self.depends[name] += parse_relations(predepends) + parse_relations(depends)
            for group in parse_relations(recommends):
                self.recommends[name].update(group)
            for virtual in parse_relations(provides):
                self.providers[virtual[0]].add(name)

    def satisfiers(self, name):
        """The installed packages that satisfy a dependency on `name` (itself, or its installed providers)."""
        return {name} if name in self.installed else set(self.providers.get(name, ()))

    def closure(self, roots):
        seen, todo = set(), list(roots)
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            for group in self.depends.get(p, ()):
                for alt in group:  # the first alternative that is installed satisfies the dependency
                    found = self.satisfiers(alt)
                    if found:
                        todo += found
                        break
        return seen


def self_test():
    """The closure rules on a made-up dpkg database."""
    records = '\n'.join('\t'.join(fields) for fields in [
        # name, status, essential, priority, provides, pre-depends, depends, recommends
        ('dash', 'ii ', 'yes', 'required', '', '', '', ''),
        ('tool-dev', 'ii ', '', 'optional', '', 'libc6 (>= 2.34)', 'liba:amd64 (= 1.0), gcc | clang | tcc, awk, mta:any', 'extra-dev'),
        ('libc6', 'ii ', '', 'optional', '', '', '', ''),
        ('liba', 'ii ', '', 'optional', '', '', 'libb', ''),
        ('libb', 'ii ', '', 'optional', '', '', '', ''),
        ('gcc', 'rc ', '', 'optional', '', '', '', ''),         # only its config files: not installed
        ('clang', 'ii ', '', 'optional', '', '', '', ''),
        ('tcc', 'ii ', '', 'optional', '', '', '', ''),         # installed, but clang satisfies gcc | clang | tcc
        ('gawk', 'ii ', '', 'optional', 'awk', '', '', ''),
        ('mawk', 'ii ', '', 'required', 'awk', '', '', ''),
        ('exim4', 'ii ', '', 'optional', 'mta (= 4)', '', '', ''),
        ('extra-dev', 'ii ', '', 'optional', '', '', '', ''),   # only Recommended
        ('by-hand', 'ii ', '', 'optional', '', '', 'libc6', ''),
    ])
    dpkg = Dpkg(records)
    closure = dpkg.closure(dpkg.base | dpkg.satisfiers('tool-dev'))
    expected = {'dash', 'mawk', 'tool-dev', 'libc6', 'liba', 'libb', 'clang', 'gawk', 'exim4'}
    if closure != expected:
        print('FAILED: closure %s, expected %s' % (sorted(closure), sorted(expected)))
        return 1
    if dpkg.satisfiers('awk') != {'gawk', 'mawk'} or dpkg.satisfiers('gcc') or 'extra-dev' not in dpkg.recommends['tool-dev']:
        print('FAILED: satisfiers or recommends')
        return 1
    print('OK: Depends and Pre-Depends followed, versions and :arch dropped, the first installed alternative and every '
          'installed provider of a virtual package counted, Recommends and packages installed by hand left out')
    return 0


def listed_packages(args):
    if args.packages:
        with open(args.packages) as f:
            lines = f.read().splitlines()
        origin = args.packages
    else:
        out = run(['bash', os.path.join(SOURCE_DIR, 'installer', 'dev.sh'), 'packages'])
        if out.returncode != 0:
            sys.exit('FAILED: installer/dev.sh packages: ' + out.stderr.strip())
        lines = out.stdout.splitlines()
        origin = 'installer/dev.sh'
    names = [package_name(line.split('#')[0]) for line in lines]
    return [n for n in names if n], origin


class Used:
    """System files the build and the tests use, each with the first reason it was seen. A library that only
    CMakeCache.txt names (FindOpenGL records the EGL and GLU it finds, whether or not anything links them) is a
    search result, not a use: it is only noted, unless a build command, a header or ldd uses it too."""

    def __init__(self, build_dir):
        self.skip_trees = (SOURCE_DIR + '/', os.path.realpath(build_dir) + '/')
        self.why = {}
        self.found_only = {}  # library -> cache entry
        self.rejected = set()

    def add(self, path, why, found_only=False):
        path = os.path.normpath(path)
        if path in self.why or path in self.rejected:
            return
        if (not path.startswith(SYSTEM_PREFIXES) or path.startswith(self.skip_trees) or not os.path.lexists(path)
                or os.path.realpath(path).startswith(self.skip_trees)):
            self.rejected.add(path)
        elif found_only:
            self.found_only.setdefault(path, why)
        else:
            self.why[path] = why

    def add_tokens(self, text, why, skip=(), libraries_found_only=False):
        for token in set(re.split(r'[\s;\[\]"\']+', text)):
            token = re.sub(r'^(-I|-L|-isystem|-Wl,-rpath,)', '', token)
            if token.startswith('/') and token not in skip:
                self.add(token, why, libraries_found_only and re.search(r'\.(so|a)(\.[0-9.]+)?$', token))


def collect(build_dir, used):
    cache = {}
    with open(os.path.join(build_dir, 'CMakeCache.txt')) as f:
        for line in f:
            m = re.match(r'^([^#/][^:=]*)(?::[A-Z]+)?=(.*)$', line.rstrip('\n'))
            if m:
                cache[m.group(1)] = m.group(2)
    launchers = {os.path.realpath(shutil.which(v) or v) for k, v in cache.items() if k.endswith('_COMPILER_LAUNCHER') and v}
    launchers |= {os.path.realpath(shutil.which(v) or v) for k, v in os.environ.items() if k.endswith('_COMPILER_LAUNCHER') and v}
    for name, value in cache.items():
        # install destinations are outputs; the launcher is the developer's, from the environment
        if name.startswith(('CMAKE_INSTALL_', '_GNUInstallDirs')) or name.endswith('_COMPILER_LAUNCHER'):
            continue
        used.add_tokens(value, 'CMakeCache.txt ' + name, launchers, libraries_found_only=True)

    def ninja(*tool):
        out = run([cache.get('CMAKE_MAKE_PROGRAM') or 'ninja', '-C', build_dir, '-t', *tool])
        if out.returncode != 0:
            sys.exit('FAILED: ninja -t %s in %s: %s' % (' '.join(tool), build_dir, out.stderr.strip()))
        return out.stdout

    used.add_tokens(ninja('query', 'build.ninja'), 'read by CMake at configure (RERUN_CMAKE inputs in build.ninja)')
    target = '?'
    for line in ninja('deps').splitlines():
        if line and not line[0].isspace():
            target = line.split(':')[0]
        elif line.strip().startswith('/'):
            used.add(line.strip(), 'header of ' + target)
    for command in ninja('commands').splitlines():
        words = command.split()
        # `ccache /usr/bin/c++ ...`: the launcher is the first word, the compiler the second
        if words and os.path.realpath(shutil.which(words[0]) or words[0]) in launchers:
            words = words[1:]
        used.add_tokens(' '.join(words), 'build command: ' + ' '.join(words)[:100], launchers)
    # moc's path is in AUTOMOC's settings; the shared libraries of every executable and shared object in the build
    # tree come from ldd.
    elves = []
    for root, dirs, files in os.walk(build_dir):
        in_cmakefiles = '/CMakeFiles' in root[len(build_dir):]
        for f in files:
            path = os.path.join(root, f)
            if f == 'AutogenInfo.json':
                with open(path) as fh:
                    used.add_tokens(fh.read(), 'AUTOMOC settings in ' + os.path.relpath(path, build_dir), launchers)
            if in_cmakefiles:  # objects and CMake's compiler probes
                continue
            try:
                with open(path, 'rb') as fh:
                    head = fh.read(18)
            except OSError:
                continue
            if head[:4] == b'\x7fELF' and len(head) == 18 and head[16] in (2, 3):  # ET_EXEC, ET_DYN
                elves.append(path)
    if elves:
        out = run(['ldd'] + elves + ([elves[0]] if len(elves) == 1 else []))
        current = elves[0]
        for line in out.stdout.splitlines():
            if not line.startswith('\t') and line.endswith(':'):
                current = line[:-1]
                continue
            m = re.match(r'\s+(\S+) => (/\S+)', line) or re.match(r'\s+(/\S+) \(', line)
            if m:
                used.add(m.group(m.lastindex), 'linked into ' + os.path.relpath(current, build_dir))
            elif '=> not found' in line:
                print('note: %s needs %s, which is not found' % (os.path.relpath(current, build_dir), line.split()[0]))

    # What CTest runs.
    out = run([cache.get('CMAKE_CTEST_COMMAND') or 'ctest', '--test-dir', build_dir, '--show-only=json-v1'])
    if out.returncode == 0:
        for test in json.loads(out.stdout).get('tests', []):
            for word in test.get('command') or []:
                if word.startswith('/'):
                    used.add(shutil.which(word) or word, 'run by the test ' + test['name'])

    for tool, why in TOOLS.items():
        path = shutil.which(tool, path='/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin') if not tool.startswith('/') else tool
        if path and os.path.exists(path):
            used.add(path, 'run by ' + why)
    if os.path.exists('/usr/bin/python3'):
        code = 'import importlib.util\nfor m in %r:\n s = importlib.util.find_spec(m)\n print(s.origin if s else "")' % (PYTHON_MODULES,)
        for module, origin in zip(PYTHON_MODULES, run(['/usr/bin/python3', '-c', code]).stdout.splitlines()):
            if origin:
                used.add(origin, 'Python module %s, imported by tests/project/check_hdf5_tools.sh' % module)


def aliases(path):
    """The names dpkg may know one file by: each symlink on the way, the real path, both sides of merged /usr."""
    hops, p = [], path
    for _ in range(40):
        hops.append(p)
        if not os.path.islink(p):
            break
        p = os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p)))
    real = os.path.realpath(path)
    if real not in hops:
        hops.append(real)
    result = []
    for hop in hops:
        names = {hop}
        for top in MERGED_USR:
            if hop.startswith('/usr' + top):
                names.add(hop[4:])
            elif hop.startswith(top):
                names.add('/usr' + hop)
        result.append(names)
    return result


def owners_of(paths):
    """One batched `dpkg -S`: path -> set of owning packages; also the diverted paths."""
    owners, diverted = defaultdict(set), {}
    paths = sorted(p for p in paths if not re.search(r'[*?\[\]\\]', p))  # dpkg -S would read those as patterns
    for i in range(0, len(paths), 2000):
        out = run(['dpkg', '-S'] + paths[i:i + 2000])
        for line in out.stdout.splitlines():
            if line.startswith(('diversion by', 'local diversion')):
                diverted[line.split(': ', 1)[-1]] = line
                continue
            who, _, path = line.partition(': ')
            owners[path].update(package_name(w) for w in who.split(', '))
    return owners, diverted


def main():
    parser = argparse.ArgumentParser(description='Checks that installer/dev.sh installs every Debian package the build and the tests use.')
    parser.add_argument('build_dir', nargs='?')
    parser.add_argument('--packages', help='check against the packages listed in this file, not installer/dev.sh')
    parser.add_argument('--self-test', action='store_true', help='check the closure rules on a made-up dpkg database')
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.build_dir:
        parser.error('BUILD_DIR is missing')

    missing_tools = [t for t in ('dpkg', 'dpkg-query') if not shutil.which(t)]
    if missing_tools:
        print('#' * 100 + '\n#  SKIPPED: %s not found: this is not a Debian machine, so the package list of\n'
              '#  installer/dev.sh cannot be checked here.\n' % ' and '.join(missing_tools) + '#' * 100)
        return 77
    build_dir = os.path.abspath(args.build_dir)
    for f in ('CMakeCache.txt', 'build.ninja'):
        if not os.path.exists(os.path.join(build_dir, f)):
            sys.exit('FAILED: %s/%s is missing: this check reads a Ninja build tree; build first (installer/dev.sh build)' % (build_dir, f))

    dpkg = Dpkg()
    listed, origin = listed_packages(args)
    roots = set(dpkg.base)
    for name in listed:
        found = dpkg.satisfiers(name)
        if not found:
            print('note: %s lists %s, which is not installed here (its dependencies are not counted); '
                  'bash installer/dev.sh deps installs it' % (origin, name))
        roots |= found
    allowed = dpkg.closure(roots)

    used = Used(build_dir)
    collect(build_dir, used)
    searched = {path: why for path, why in used.found_only.items() if path not in used.why}
    file_aliases = {path: aliases(path) for path in list(used.why) + list(searched)}
    owners, diverted = owners_of({name for hops in file_aliases.values() for names in hops for name in names})
    for path, why in sorted(searched.items()):
        hops = [set().union(*(owners.get(n, set()) for n in names)) for names in file_aliases.pop(path)]
        who = set().union(*(h for h in hops if h and not h & allowed))
        if who:
            print('note: configure found %s (%s) from %s, which %s does not install; nothing in the build uses it, '
                  'so it is not counted (on a fresh machine that entry is NOTFOUND)' % (path, why, ', '.join(sorted(who)), origin))

    offenders = defaultdict(list)  # package -> files
    unowned, packages_used = [], set()
    for path, hops in sorted(file_aliases.items()):
        owned = False
        for names in hops:
            for name in names:
                if name in diverted:
                    print('note: %s is diverted: %s' % (name, diverted[name]))
            who = set().union(*(owners.get(n, set()) for n in names))
            if not who:
                continue  # an alternatives link, /lib -> usr/lib, or a file no package owns
            owned = True
            if not os.path.isdir(path):  # a directory is shared by many packages
                packages_used |= who
            if not who & allowed:
                for p in who:
                    if path not in offenders[p]:
                        offenders[p].append(path)
        if not owned and not os.path.isdir(path):
            unowned.append(path)

    if unowned:
        print('note: %d system files the build or the tests use belong to no Debian package (skipped): %s%s'
              % (len(unowned), ', '.join(unowned[:8]), ' ...' if len(unowned) > 8 else ''))
    if not offenders:
        print('OK: the build and the tests use %d system paths from %d Debian packages, all installed by %s '
              '(%d packages) or through their Depends/Pre-Depends (%d packages, with the Essential and required ones)'
              % (len(file_aliases), len(packages_used), origin, len(listed), len(allowed)))
        return 0
    print('\nFAILED: the build or the tests use files from %d Debian package(s) that %s does not install, neither '
          'directly nor through Depends/Pre-Depends; a fresh Debian 12 machine would lack them:' % (len(offenders), origin))
    for package in sorted(offenders):
        recommended_by = sorted(p for p in allowed if package in dpkg.recommends.get(p, ()))
        hint = ' (only Recommended by %s; dev.sh installs with --no-install-recommends)' % ', '.join(recommended_by) if recommended_by else ''
        print('\n  %s%s' % (package, hint))
        files = offenders[package]
        for path in files[:6]:
            print('      %s   <- %s' % (path, used.why[path]))
        if len(files) > 6:
            print('      ... and %d more files' % (len(files) - 6))
    print('\nAdd them to packages=(...) in installer/dev.sh (with a comment saying what needs them).')
    return 1


if __name__ == '__main__':
    sys.exit(main())
